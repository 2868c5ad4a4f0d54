from .delegation_urls import urlpatterns as delegation_urlpatterns
from .hospital_urls import urlpatterns as hospital_urlpatterns

app_name = "workflows"
urlpatterns = [*delegation_urlpatterns, *hospital_urlpatterns]
