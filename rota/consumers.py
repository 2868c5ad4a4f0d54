"""The live rota socket: check the circle on connect, join the rota's group, forward numbered changes.

Close codes: 4401 not logged in, 4404 not in this person's circle (or no such person),
4403 in the circle without the right (or removed from it while connected).
The page says {"type": "hello", "last_seq": n, "week": "YYYY-MM-DD"} on every (re)connect and
gets the changes it missed, or a snapshot of its week when too far behind.
"""
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import live


class RotaConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        self.recipient_pk = self.scope["url_route"]["kwargs"]["recipient_pk"]
        self.user = self.scope.get("user")
        # Accept first and then close, so the browser sees our close code instead of a bare 403.
        await self.accept()
        refusal = await database_sync_to_async(live.refusal_code)(self.user, self.recipient_pk)
        if refusal:
            await self.close(code=refusal)
            return
        self.group = live.group_name(self.recipient_pk)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not self.group or content.get("type") != "hello":
            return
        last_seq = content.get("last_seq")
        last_seq = last_seq if isinstance(last_seq, int) else None
        week = content.get("week") if isinstance(content.get("week"), str) else None
        for message in await database_sync_to_async(live.catch_up)(self.recipient_pk, last_seq, week):
            await self.send_json(message)

    async def rota_change(self, event):
        await self.send_json({**event, "type": "change"})

    async def rota_revoke(self, event):
        if event["user_id"] == getattr(self.user, "pk", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
            await self.close(code=4403)
