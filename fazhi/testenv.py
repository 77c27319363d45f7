"""pytest plugin (``-p fazhi.testenv`` in pyproject.toml), loaded before
pytest-django reads the settings: tests run as development, so they need no
SECRET_KEY. An explicit FAZHI_ENV in the environment wins."""

import os

os.environ.setdefault("FAZHI_ENV", "development")
