from django.urls import path

from . import views

app_name = "push"
urlpatterns = [
    path("sw.js", views.service_worker, name="worker"),
    path("push/subscribe/", views.subscribe, name="subscribe"),
    path("push/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("push/token/", views.token, name="token"),
]
