from .delegation.urls import urlpatterns as delegation_urlpatterns
from .hospital.urls import urlpatterns as hospital_urlpatterns

app_name = "workflows"
urlpatterns = [*delegation_urlpatterns, *hospital_urlpatterns]
