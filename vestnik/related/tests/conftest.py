import pytest


@pytest.fixture(autouse=True)
def _analysis_on(settings):
    """The rest of the suite runs without the models (settings/test.py); these tests need them."""
    settings.VESTNIK_ANALYSIS = True
