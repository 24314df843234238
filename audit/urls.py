from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    # /changes/
    path("", views.change_log, name="change-log"),
]
