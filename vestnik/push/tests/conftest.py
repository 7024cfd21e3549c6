import pytest

from vestnik.push.vapid import keys_generate

from .pushservice import PushService

SUBJECT = "mailto:news@vestnik.test"


@pytest.fixture
def vapid_keys(settings):
    public, private = keys_generate()
    settings.VESTNIK_VAPID_PUBLIC_KEY = public
    settings.VESTNIK_VAPID_PRIVATE_KEY = private
    settings.VESTNIK_VAPID_SUBJECT = SUBJECT
    return public


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service
