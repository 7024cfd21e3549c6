from django.urls import path

from . import views

app_name = "promos"

urlpatterns = [
    path("promo/<int:promo_id>/lead/", views.lead_form, name="lead"),
    path("promo/<int:promo_id>/go/", views.promo_click, name="click"),
    path("promo/<int:promo_id>/seen.gif", views.promo_seen, name="seen"),
    path("privacy/", views.policy, name="policy"),
]
