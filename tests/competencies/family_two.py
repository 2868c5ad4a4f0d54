"""Family two's competency for the isolation walk (seed_demo has run)."""
from competencies.models import Competency

OBJECTS = {
    "competency_pk": lambda cast: Competency.objects.filter(recipient=cast["recipient"]).earliest("created_at").pk,
}
