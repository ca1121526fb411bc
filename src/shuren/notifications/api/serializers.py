"""Serializers of the notifications API."""

from __future__ import annotations

from rest_framework import serializers


class WeChatLinkRequestSerializer(serializers.Serializer):
    js_code = serializers.CharField(max_length=128, help_text="The code wx.login gave the mini program.")


class WeChatLinkSerializer(serializers.Serializer):
    linked = serializers.BooleanField()
    openid_masked = serializers.CharField(allow_blank=True)
    linked_at = serializers.DateTimeField(allow_null=True)
