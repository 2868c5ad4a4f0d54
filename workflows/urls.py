from .delegation_urls import urlpatterns as delegation_urlpatterns

app_name = "workflows"
urlpatterns = [*delegation_urlpatterns]
