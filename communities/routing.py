from django.urls import path

from communities.consumers import ChatConsumer, ModerationConsumer

websocket_urlpatterns = [
    path("ws/communities/<slug:slug>/chat/", ChatConsumer.as_asgi()),
    path("ws/webinars/sessions/<int:session_id>/qa/", ChatConsumer.as_asgi()),
    path("ws/moderation/", ModerationConsumer.as_asgi()),
]
