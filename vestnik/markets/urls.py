from django.urls import path

from . import views

app_name = "markets"

urlpatterns = [
    path("rates/", views.rates_index, name="index"),
    path("rates/<slug:code>/", views.currency_page, name="currency"),
]
