"""Template context for the staff shell: the menu built from module manifests."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from fazhi import modules
from fazhi.org import access


def shell(request):
    base = {"district_name": settings.FAZHI_DISTRICT_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/portal/"):
        return base
    menu = []
    for m in modules.manifests():
        if m.public:
            continue
        items = []
        for item in m.menu:
            if item.permission and not access.allowed(user, item.permission):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"title": item.title, "url": url, "active": False})
        if items:
            menu.append({"title": m.title, "label": m.label, "items": items})
    # One current entry: the longest menu URL the page is under (/decisions/catalogues/
    # is under both 决策事项 /decisions/ and 决策目录 /decisions/catalogues/).
    current = max((i for g in menu for i in g["items"] if request.path.startswith(i["url"])),
                  key=lambda i: len(i["url"]), default=None)
    if current is not None:
        current["active"] = True
    return {
        **base,
        "shell_menu": menu,
        "me": access.person_of(user),
        "is_admin": access.is_admin(user),
    }
