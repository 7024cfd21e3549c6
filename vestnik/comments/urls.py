from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("comments/<id:article_id>/", views.comment_post, name="post"),
    path("comments/token/", views.comment_token, name="token"),
]
