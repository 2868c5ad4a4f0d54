"""What a PA records each time they carry out a task: the observations the catalogue asks for,
per task (shipped with the catalogue, as code: clinicians do not edit it). A task not listed asks
for none beyond done / not done / refused and a note.

Each field: a key, the label the PA sees, and its kind — "number" (with a unit and the range
a reading can physically take, to catch a slip of the thumb, not to judge it), "time" (a clock
time on the shift's day), or "choice" (fixed options).
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Observation:
    key: str
    label: str
    kind: str  # "number" | "time" | "choice"
    unit: str = ""
    low: Decimal | None = None
    high: Decimal | None = None
    options: tuple = field(default=())

    def clean(self, raw):
        """The value as stored (a string), or a ValueError whose message the PA sees."""
        raw = (raw or "").strip()
        if not raw:
            raise ValueError(f"Enter {self.label.lower()}.")
        if self.kind == "number":
            try:
                value = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                raise ValueError(f"{self.label}: enter a number.") from None
            if not value.is_finite() or (self.low is not None and value < self.low) or \
                    (self.high is not None and value > self.high):
                raise ValueError(f"{self.label}: between {self.low} and {self.high} {self.unit}.".rstrip(". ") + ".")
            return str(value)
        if self.kind == "time":
            parts = raw.split(":")
            if len(parts) != 2 or not all(p.isdigit() for p in parts) or not (0 <= int(parts[0]) < 24 and
                                                                                 0 <= int(parts[1]) < 60):
                raise ValueError(f"{self.label}: a time such as 14:05.")
            return f"{int(parts[0]):02d}:{int(parts[1]):02d}"
        if raw not in self.options:
            raise ValueError(f"{self.label}: choose one of the options.")
        return raw


SITES = ("Abdomen left", "Abdomen right", "Thigh left", "Thigh right", "Upper arm left", "Upper arm right")
GLUCOSE = Observation("glucose", "Blood glucose", "number", "mmol/L", Decimal("0.5"), Decimal("40"))

BY_TASK = {
    "capillary-blood-glucose": (GLUCOSE,),
    "insulin-subcutaneous": (
        GLUCOSE,
        Observation("dose", "Dose given", "number", "units", Decimal("0"), Decimal("100")),
        Observation("site", "Injection site", "choice", options=SITES),
    ),
    "lmwh-subcutaneous": (
        Observation("time_given", "Time given", "time"),
        Observation("site", "Injection site", "choice", options=SITES[:2]),
    ),
    "buccal-midazolam": (
        Observation("seizure_start", "Seizure started", "time"),
        Observation("time_given", "Time given", "time"),
        Observation("dose", "Dose given (as prescribed)", "number", "mg", Decimal("0"), Decimal("20")),
    ),
    "adrenaline-auto-injector": (Observation("time_given", "Time given", "time"),),
    "oxygen-therapy": (
        Observation("flow", "Flow rate", "number", "L/min", Decimal("0"), Decimal("15")),
        Observation("saturation", "Oxygen saturation", "number", "%", Decimal("50"), Decimal("100")),
    ),
    "nebuliser": (Observation("time_given", "Time given", "time"),),
    "peg-feed": (Observation("volume", "Volume given", "number", "ml", Decimal("0"), Decimal("3000")),),
    "peg-medication": (Observation("flush", "Water flush", "number", "ml", Decimal("0"), Decimal("500")),),
}


def for_task(task):
    return BY_TASK.get(task.code, ())
