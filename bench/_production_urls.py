"""The product's URLs plus the bare page the rota page is compared with (bench only)."""
from django.urls import path

from bench._bare import bare_rota
from paworkflow.urls import urlpatterns as product

urlpatterns = [path("bench/bare-rota/", bare_rota), *product]
