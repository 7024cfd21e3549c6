"""The feed's fixed address, in a module that imports nothing, so that settings, the URLconf,
the ASGI dispatch (vestnik/asgi.py) and tests can all name it. deploy/nginx.conf.template has
its own `location` for it (a test checks the two agree); templates use {% url 'feed:stream' %}."""

STREAM = "/news/stream/"  # Server-Sent Events: every change of the feed (feed/stream.py)
