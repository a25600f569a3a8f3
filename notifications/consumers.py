"""`/ws/notifications/`: the bell's unread count, live."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications.services import unread_count, user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(
            {"type": "unread", "count": await database_sync_to_async(unread_count)(user)}
        )

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json(
            {"type": "error", "code": "invalid", "detail": "This socket only listens."}
        )

    async def notifications_count(self, event):
        await self.send_json({"type": "unread", "count": event["unread"]})
