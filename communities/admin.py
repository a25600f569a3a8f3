"""Communities in the admin. Roles, mutes, bans, review decisions and slow mode change
through the moderation services, which check who may and write the moderation log:
read-only here."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from communities.models import (
    Ban,
    ChatRoom,
    Community,
    Membership,
    ModerationAction,
    ReviewItem,
    WatchedWord,
)
from core.markdown import render_markdown_translations


@admin.register(Community)
class CommunityAdmin(TranslationAdmin):
    list_display = ["name", "organization", "visibility", "join_policy", "last_post_at"]
    list_filter = ["visibility", "join_policy"]
    search_fields = ["name", "slug"]
    readonly_fields = ["description_html", "rules_html", "last_post_at"]

    def save_model(self, request, obj, form, change):
        render_markdown_translations(obj, "description", "description_html")
        render_markdown_translations(obj, "rules", "rules_html")
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "community", "role", "joined_at", "muted_until"]
    list_filter = ["role"]
    search_fields = ["member__email", "member__full_name", "handle"]
    readonly_fields = [
        "member",
        "community",
        "role",
        "joined_at",
        "last_active_at",
        "muted_until",
        "mute_reason",
    ]

    def has_add_permission(self, request):
        return False  # joining checks bans and the join policy: membership_add


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    """View only: member_ban / member_unban keep the moderation log."""

    list_display = ["member", "community", "until", "lifted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "community"]


@admin.register(ChatRoom)
class ChatRoomAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "session", "slow_mode_seconds"]
    readonly_fields = ["community", "session", "slow_mode_seconds"]  # room_set_slow_mode

    def has_add_permission(self, request):
        return False


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["kind", "community", "status", "created_at", "resolution"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["post", "message", "join_request"]
    # Decided in the moderation queue (it hides or restores the content and logs it).
    readonly_fields = ["status", "resolution", "resolved_at", "resolved_by", "escalated_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["created_at", "community", "actor", "action", "target_member", "summary"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
