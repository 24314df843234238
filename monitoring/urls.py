from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    # /monitoring/returns/
    path("returns/", views.my_returns, name="my-returns"),
]
