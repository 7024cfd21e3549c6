"""HTTP concerns shared by every reader response."""


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: no third-party referrer leaks, no sniffing of features."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), microphone=(), camera=()"
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
