"""No HTML error ever leaves /api/.

DRF's exception handler answers every error raised inside an API view. What
happens outside one is Django's: a path that matches no URL (404), a wrong
method on a plain Django view (405), a request Django refuses before any view
(400: bad host, too many fields, too much data) and — were there a bug — the
500 page. Under /api/ this middleware replaces any such non-JSON error
response by the one JSON error shape with a Chinese message. It sits near
the top of MIDDLEWARE so that it sees the responses of every layer below.
"""


from django.http import JsonResponse

from fazhi.core.rest.errors import error_body

API_PREFIX = "/api/"

MESSAGES = {
    400: ("bad_request", "请求格式错误"),
    401: ("not_authenticated", "身份未认证，请先登录或提供有效令牌"),
    403: ("forbidden", "您没有执行此操作的权限"),
    404: ("not_found", "接口或记录不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "请求数据过大"),
    415: ("unsupported_media_type", "不支持的请求数据格式，请使用 JSON"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
    500: ("server_error", "服务器内部错误，已记录，请稍后再试或联系系统管理员"),
}


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


def json_error(status: int) -> JsonResponse:
    code, message = MESSAGES.get(status, ("server_error", MESSAGES[500][1]) if status >= 500
                                 else ("error", "请求未能完成"))
    return JsonResponse(error_body(code, message), status=status,
                        json_dumps_params={"ensure_ascii": False})


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code < 400 or not request.path.startswith(API_PREFIX)
                or getattr(response, "streaming", False) or _is_json(response)):
            return response
        out = json_error(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                out[header] = response[header]
        return out


