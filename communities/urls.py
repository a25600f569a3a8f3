from django.urls import path

from communities.views import chat, moderation, spaces, threads

app_name = "communities"

urlpatterns = [
    path("", spaces.community_list, name="list"),
    path("new/", spaces.community_create, name="create"),
    path("moderation/", moderation.dashboard, name="dashboard"),
    path("moderation/items/<int:item_id>/", moderation.review_act, name="review_act"),
    path("moderation/log/", moderation.audit_log, name="audit_log"),
    path("moderation/log.csv", moderation.audit_log_csv, name="audit_log_csv"),
    path("invitations/<str:token>/", spaces.invitation, name="invitation"),
    path("qa/<int:session_id>/", chat.qa_room, name="qa_room"),
    path("qa/<int:session_id>/post/", chat.qa_post, name="qa_post"),
    path(
        "qa/<int:session_id>/messages/<int:message_id>/hide/",
        chat.qa_message_hide,
        name="qa_message_hide",
    ),
    path("<slug:slug>/", spaces.community_detail, name="detail"),
    path("<slug:slug>/join/", spaces.community_join, name="join"),
    path("<slug:slug>/leave/", spaces.community_leave, name="leave"),
    path("<slug:slug>/mute/", spaces.community_mute, name="mute"),
    path("<slug:slug>/members/", spaces.community_members, name="members"),
    path("<slug:slug>/members.csv", moderation.members_csv, name="members_csv"),
    path("<slug:slug>/members/act/", spaces.member_act, name="member_act"),
    path("<slug:slug>/members/<int:member_id>/unban/", spaces.member_unban, name="unban"),
    path("<slug:slug>/invite/", spaces.community_invite, name="invite"),
    path("<slug:slug>/settings/", spaces.community_settings, name="settings"),
    path("<slug:slug>/settings/slow-mode/", spaces.slow_mode, name="slow_mode"),
    path("<slug:slug>/settings/words/", spaces.watched_word_add, name="word_add"),
    path(
        "<slug:slug>/settings/words/<int:word_id>/delete/",
        spaces.watched_word_remove,
        name="word_remove",
    ),
    path("<slug:slug>/search/", threads.community_search, name="search"),
    path("<slug:slug>/feed/", threads.CommunityFeed(), name="feed"),
    path("<slug:slug>/chat/", chat.community_chat, name="chat"),
    path("<slug:slug>/chat/post/", chat.community_chat_post, name="chat_post"),
    path(
        "<slug:slug>/chat/<int:message_id>/moderate/",
        chat.chat_message_moderate,
        name="chat_moderate",
    ),
    path("<slug:slug>/chat/<int:message_id>/flag/", chat.chat_message_flag, name="chat_flag"),
    path("<slug:slug>/threads/new/", threads.thread_new, name="thread_new"),
    path("<slug:slug>/threads/<int:thread_id>/", threads.thread_detail, name="thread"),
    path("<slug:slug>/threads/<int:thread_id>/reply/", threads.reply, name="reply"),
    path(
        "<slug:slug>/threads/<int:thread_id>/moderate/",
        threads.thread_moderate,
        name="thread_moderate",
    ),
    path("<slug:slug>/posts/<int:post_id>/edit/", threads.post_edit, name="post_edit"),
    path("<slug:slug>/posts/<int:post_id>/history/", threads.post_history, name="post_history"),
    path("<slug:slug>/posts/<int:post_id>/delete/", threads.post_delete, name="post_delete"),
    path("<slug:slug>/posts/<int:post_id>/like/", threads.post_like, name="post_like"),
    path("<slug:slug>/posts/<int:post_id>/flag/", threads.post_flag, name="post_flag"),
    path("<slug:slug>/posts/<int:post_id>/moderate/", threads.post_moderate, name="post_moderate"),
    path(
        "<slug:slug>/files/<int:attachment_id>/",
        threads.attachment_download,
        name="attachment",
    ),
]
