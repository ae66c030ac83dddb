"""Every API test's responses are checked against the OpenAPI document (tests/openapi_check.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.openapi_check import checked


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app of tests/conftest.py, its test clients checking each response."""
    return checked(app)
