"""REST endpoints of org, mounted under /api/v1/org/ by fazhi/api/urls.py.

Same scoping and the same services as the screens: a record outside what the
user may see is 404, a refused change 403, bad input 400 — all in the
project's error shape {"error": {"code", "message", "rule", "fields"}}.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.org import access, selectors, services
from fazhi.org.models import Person, RoleAssignment, Unit, UnitKind

REQUIRED = {"required": "此项为必填项", "blank": "此项不能为空", "null": "此项不能为空"}


def validated(serializer: serializers.Serializer) -> dict:
    """Validate input; the project's handler turns errors into a 400 with
    the Chinese message of each field (fazhi/core/rest/errors.py)."""
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# ------------------------------------------------------------ serializers

class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_display", "credit_code", "parent", "depth",
                  "is_legal_office", "is_enforcement_subject", "sort_order", "is_active"]
        read_only_fields = fields


class OrgUnitCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, error_messages={**REQUIRED, "max_length": "单位名称不能超过100个字"})
    short_name = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                       error_messages={"max_length": "简称不能超过50个字"})
    kind = serializers.ChoiceField(choices=UnitKind.choices,
                                   error_messages={**REQUIRED, "invalid_choice": "单位类型“{input}”无效"})
    parent = params.IdField(required=False, allow_null=True, label_zh="上级单位")
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                        error_messages={"max_length": "统一社会信用代码应为18位"})
    is_legal_office = serializers.BooleanField(required=False, default=False,
                                               error_messages={"invalid": "应为 true 或 false"})
    is_enforcement_subject = serializers.BooleanField(required=False, default=False,
                                                      error_messages={"invalid": "应为 true 或 false"})
    sort_order = serializers.IntegerField(required=False, default=100, min_value=0, max_value=1_000_000,
                                          error_messages={"invalid": "排序应为整数", "min_value": "排序不能为负数",
                                                          "max_value": "排序过大"})


class OrgRoleSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "role_display", "unit", "unit_name", "include_subunits"]
        read_only_fields = fields


class OrgPersonSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    roles = OrgRoleSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "username", "unit", "unit_name", "post", "phone", "is_active", "roles"]
        read_only_fields = fields


class OrgPersonCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, error_messages={**REQUIRED, "max_length": "登录用户名过长"})
    name = serializers.CharField(max_length=50, error_messages={**REQUIRED, "max_length": "姓名不能超过50个字"})
    unit = params.IdField(label_zh="所在单位", error_messages=REQUIRED)
    post = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                 error_messages={"max_length": "职务不能超过100个字"})
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                  error_messages={"max_length": "联系电话过长"})
    password = serializers.CharField(required=False, allow_blank=True, write_only=True)


def _unit_or_field_error(user, pk, field: str, permission: str) -> Unit:
    """A unit the user may see; otherwise a field error (existence stays private)."""
    unit = selectors.units_for(user, permission).filter(pk=pk).first() if pk is not None else None
    if unit is None:
        message = "所选单位不存在或不在您的管理范围内"
        raise ValidationError(message, fields={field: [message]})
    return unit


# ------------------------------------------------------------------ views

class UnitListCreate(generics.ListAPIView):
    serializer_class = OrgUnitSerializer

    def get_queryset(self):
        if not access.allowed(self.request.user, "org.view_units"):
            raise PermissionDenied()
        return selectors.units_for(self.request.user).order_by("path")

    @extend_schema(request=OrgUnitCreateSerializer, responses={201: OrgUnitSerializer}, summary="新增单位")
    def post(self, request):
        d = validated(OrgUnitCreateSerializer(data=request.data))
        if not access.allowed(request.user, "org.manage_units"):
            raise PermissionDenied()
        parent = None
        if d.get("parent") is not None:
            parent = _unit_or_field_error(request.user, d["parent"], "parent", "org.view_units")
        unit = services.create_unit(
            parent, by=request.user, name=d["name"], short_name=d.get("short_name", ""), kind=d["kind"],
            credit_code=d.get("credit_code", ""), is_legal_office=d["is_legal_office"],
            is_enforcement_subject=d["is_enforcement_subject"], sort_order=d["sort_order"],
        )
        return Response(OrgUnitSerializer(unit).data, status=status.HTTP_201_CREATED)


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = OrgUnitSerializer

    def get_object(self):
        return selectors.get_unit(self.request.user, self.kwargs["pk"])


class PersonListCreate(generics.ListAPIView):
    serializer_class = OrgPersonSerializer

    def get_queryset(self):
        if not access.allowed(self.request.user, "org.view_people"):
            raise PermissionDenied()
        return selectors.people_for(self.request.user).order_by("unit__path", "name", "pk")

    @extend_schema(request=OrgPersonCreateSerializer, responses={201: OrgPersonSerializer},
                   summary="新增人员（不填 password 时响应中返回一次 set_password_url）")
    def post(self, request):
        d = validated(OrgPersonCreateSerializer(data=request.data))
        if not access.allowed(request.user, "org.manage_people"):
            raise PermissionDenied()
        unit = _unit_or_field_error(request.user, d["unit"], "unit", "org.view_units")
        person, link = services.create_person(
            unit, by=request.user, username=d["username"], name=d["name"], post=d.get("post", ""),
            phone=d.get("phone", ""), password=d.get("password") or None, now=timezone.now(),
        )
        data = OrgPersonSerializer(selectors.get_person(request.user, person.pk)).data
        # No password is ever returned. Without one, the one-time link the owner
        # sets their own password with; with one, it must be changed at first sign-in.
        data["must_change_password"] = link is None
        if link is not None:
            data["set_password_url"] = request.build_absolute_uri(link.path)
            data["set_password_expires_at"] = link.expires_at
        return Response(data, status=status.HTTP_201_CREATED)


class PersonDetail(generics.RetrieveAPIView):
    serializer_class = OrgPersonSerializer

    def get_object(self):
        return selectors.get_person(self.request.user, self.kwargs["pk"])



urlpatterns = [
    path("units/", endpoint(UnitListCreate), name="unit_list"),
    path("units/<id:pk>/", endpoint(UnitDetail), name="unit_detail"),
    path("people/", endpoint(PersonListCreate), name="person_list"),
    path("people/<id:pk>/", endpoint(PersonDetail), name="person_detail"),
]
