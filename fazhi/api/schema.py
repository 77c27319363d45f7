"""The API face's part of the schema: its own token authentication.

Imported by ``ApiConfig.ready`` so that drf-spectacular knows the extension
before the first schema is built.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthScheme(OpenApiAuthenticationExtension):
    """Declares fazhi's own token authentication (``Authorization: Token <令牌>``),
    so the schema names it and the generator does not warn once per view."""

    target_class = "fazhi.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token <令牌>（POST /api/v1/auth/token/ 取得）"}
