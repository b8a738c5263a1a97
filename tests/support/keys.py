"""Keys the tests run with, in the forms the settings require."""

SECRET_KEY = "test-secret"
# WARMLINE_DATA_KEY in the required form: 32 bytes in url-safe base64, as `warmline init` makes.
DATA_KEY = "d2FybWxpbmUgdGVzdCBkYXRhIGtleSwgMzIgYnl0ZXM="
