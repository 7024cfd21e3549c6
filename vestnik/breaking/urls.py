from django.urls import path

from . import views

app_name = "breaking"
urlpatterns = [path("breaking/", views.banner, name="banner")]
