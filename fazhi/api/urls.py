"""/api/: the schema, and /api/v1/ with every module's endpoints, listed by hand.

A module adds its REST endpoints by appending one ``ApiGroup`` to
``V1_GROUPS``; that entry mounts ``fazhi/<app>/api.py`` under
``/api/v1/<prefix>/`` (URL namespace ``api:<prefix>``) and lists it in the
v1 root.
"""

from dataclasses import dataclass

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from fazhi.api import views
from fazhi.core.rest import params  # noqa: F401 (registers the <id:> and <key:> converters)


@dataclass(frozen=True)
class ApiGroup:
    prefix: str  # URL segment and namespace
    title: str
    module: str  # dotted path of the app's api.py (a urlpatterns list)


V1_GROUPS: tuple[ApiGroup, ...] = (
    ApiGroup("org", "组织与人员", "fazhi.org.api"),
    ApiGroup("audit", "留痕", "fazhi.audit.api"),
    ApiGroup("workdays", "工作日历", "fazhi.workdays.api"),
    ApiGroup("decisions", "重大行政决策", "fazhi.major_decisions.api"),
    ApiGroup("enforcement", "行政执法", "fazhi.enforcement.api"),
    ApiGroup("training", "学法用法", "fazhi.training.api"),
    ApiGroup("normdocs", "行政规范性文件", "fazhi.normative_docs.api"),
    ApiGroup("inspections", "双随机、一公开", "fazhi.inspections.api"),
    ApiGroup("ledger", "任务清单与推进台账", "fazhi.ledger.api"),
    ApiGroup("assessment", "考核评价", "fazhi.assessment.api"),
    ApiGroup("reports", "法治政府建设年度报告", "fazhi.annual_report.api"),
)

app_name = "api"
urlpatterns = [
    # The schema describes internal endpoints: signed-in users only.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("v1/", views.RootView.as_view(), name="root"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/auth/tokens/", views.TokenListView.as_view(), name="tokens"),
    path("v1/auth/tokens/<id:pk>/", views.TokenDetailView.as_view(), name="token_detail"),
    path("v1/auth/password/", views.PasswordView.as_view(), name="password"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/privacy/<key:label>/<id:pk>/", views.PersonalDataView.as_view(), name="personal_data"),
] + [
    path(f"v1/{g.prefix}/", include((g.module, g.prefix))) for g in V1_GROUPS
]
