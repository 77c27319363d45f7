"""Template context for the staff shell: the menu built from module manifests."""

from django.urls import NoReverseMatch, reverse

from fazhi.modules import manifests
from fazhi.org import access


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/portal/"):
        return {}
    menu = []
    for m in manifests():
        items = []
        for item in m.menu:
            if item.permission and not access.allowed(user, item.permission):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"title": item.title, "url": url, "active": request.path.startswith(url)})
        if items:
            menu.append({"title": m.title, "items": items})
    return {"shell_menu": menu, "me": access.person_of(user), "is_admin": access.is_admin(user)}
