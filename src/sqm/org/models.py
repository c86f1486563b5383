"""Reference data (branches, halls, departments, channels, tiers), users' roles, API tokens
and the audit log."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sqm.org.choices import RoleChoices
from sqm.org.core.province import DistrictType
from sqm.org.core.roles import Role, Scope, scope_for

if TYPE_CHECKING:
    from sqm.lib.people import Requester


class Branch(models.Model):
    code = models.CharField(_("代码"), max_length=16, unique=True)
    name_zh = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64)
    customer_weight = models.FloatField(_("客户占比"), default=0.0)
    rank = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("分公司")
        verbose_name_plural = _("分公司")

    def __str__(self) -> str:
        return f"{self.name_zh}({self.code})"


class Hall(models.Model):
    code = models.CharField(_("代码"), max_length=24, unique=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="halls")
    name_zh = models.CharField(_("名称"), max_length=96)
    district = models.CharField(
        _("商圈类型"),
        max_length=16,
        choices=[
            (DistrictType.RESIDENTIAL, _("居民区")),
            (DistrictType.BUSINESS, _("商务区")),
            (DistrictType.MIXED, _("混合区")),
            (DistrictType.CAMPUS, _("校园")),
            (DistrictType.RURAL, _("农村")),
        ],
    )
    counters = models.PositiveSmallIntegerField(_("柜台数"), default=4)
    active = models.BooleanField(_("营业中"), default=True)

    class Meta:
        ordering = ["branch__rank", "code"]
        verbose_name = _("营业厅")
        verbose_name_plural = _("营业厅")

    def __str__(self) -> str:
        return self.name_zh


class Department(models.Model):
    code = models.CharField(_("代码"), max_length=24, unique=True)
    name_zh = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("省公司部门")
        verbose_name_plural = _("省公司部门")

    def __str__(self) -> str:
        return self.name_zh


class Channel(models.Model):
    code = models.CharField(_("代码"), max_length=24, unique=True)
    name_zh = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = _("渠道")
        verbose_name_plural = _("渠道")

    def __str__(self) -> str:
        return self.name_zh


class CustomerTier(models.Model):
    code = models.CharField(_("代码"), max_length=24, unique=True)
    name_zh = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64)
    rank = models.PositiveSmallIntegerField(_("优先级"), help_text=_("1 最先服务"))
    is_vip = models.BooleanField(_("VIP"), default=False)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("客户级别")
        verbose_name_plural = _("客户级别")

    def __str__(self) -> str:
        return self.name_zh


class Profile(models.Model):
    """A user's role and home unit; the scope derived from it governs every query."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sqm_profile"
    )
    role = models.CharField(_("角色"), max_length=32, choices=RoleChoices.choices)
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"

    def scope(self) -> Scope:
        return scope_for(
            Role(self.role),
            self.branch.code if self.branch is not None else None,
            self.department.code if self.department is not None else None,
            is_superuser=self.user.is_superuser,
        )


class ApiToken(models.Model):
    """An API key shown once; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: Requester) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=cls.digest_of(key), prefix=key[:8])
        return key


class AuditLogIsAppendOnly(Exception):
    """An audit entry is written once and never changed or deleted, by anyone."""


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class AuditLog(models.Model):
    """Who did what to which object — and every read of an unmasked phone number.

    Append-only: ``save`` adds and never updates, ``delete`` and the queryset's ``update`` /
    ``delete`` refuse, and on PostgreSQL a trigger refuses UPDATE and DELETE from any client
    (migration 0003). The actor's username and role are kept as written, so an entry still
    names its author after the user is deleted (the link alone then becomes NULL: the only
    change the trigger lets through).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True, default="")
    actor_role = models.CharField(_("操作人角色"), max_length=32, blank=True, default="")
    action = models.CharField(max_length=48, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        target = f"{self.object_type}:{self.object_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or '—'} {self.action} {target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")
