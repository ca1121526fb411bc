from django.urls import path
from django.views.i18n import set_language

from shuren.core.permissions import public

urlpatterns = [path("setlang/", public(set_language), name="set_language")]
