from django.urls import path

from . import views

app_name = "promos"

urlpatterns = [
    path("promo/<id:promo_id>/lead/", views.lead_form, name="lead"),
    path("promo/<id:promo_id>/go/", views.promo_click, name="click"),
    path("promo/<id:promo_id>/seen.gif", views.promo_seen, name="seen"),
    path("privacy/", views.policy, name="policy"),
]
