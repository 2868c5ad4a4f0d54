"""The healthcare task catalogue, shipped as data. A frozen copy: later changes are new migrations."""
from django.db import migrations

# code, name, category, delegable, risk, review days, supervised practices, criteria
CATALOGUE = [
    ("insulin-subcutaneous", "Subcutaneous insulin injection", "injections", True, "high", 365, 3, [
        "Checks the prescription, dose, insulin type and expiry against the care plan",
        "Checks capillary blood glucose before giving insulin and acts on the result as planned",
        "Primes the pen and dials the correct dose",
        "Chooses and rotates the injection site as documented",
        "Injects at the correct angle and holds for the documented time",
        "Disposes of the needle safely in a sharps bin",
        "Records the dose, time and site, and knows when to seek help (hypo/hyperglycaemia)",
    ]),
    ("lmwh-subcutaneous", "Low-molecular-weight heparin (enoxaparin) injection", "injections", True, "high", 365, 3, [
        "Checks the prescription, dose and expiry against the care plan",
        "Does not expel the air bubble from the pre-filled syringe",
        "Injects into the abdomen at the documented site, alternating sides",
        "Does not rub the site afterwards",
        "Recognises bleeding or bruising that must be reported",
        "Disposes of the syringe safely and records the dose",
    ]),
    ("adrenaline-auto-injector", "Adrenaline auto-injector (anaphylaxis)", "injections", True, "high", 365, 2, [
        "Recognises the signs of anaphylaxis described in the care plan",
        "Removes the safety cap and injects into the outer thigh, holding for the device's time",
        "Calls 999 and states anaphylaxis",
        "Positions the person safely and knows when to give the second device",
        "Hands the used device to the ambulance crew and records the time",
    ]),
    ("nebuliser", "Nebuliser", "respiratory", True, "medium", 365, 2, [
        "Checks the prescribed medicine and dose",
        "Assembles the nebuliser and fills the chamber correctly",
        "Positions the person upright and fits the mask or mouthpiece",
        "Observes breathing during and after, and knows when to seek help",
        "Cleans and dries the equipment as instructed",
    ]),
    ("oxygen-therapy", "Oxygen therapy", "respiratory", True, "medium", 365, 2, [
        "Sets the prescribed flow rate and checks the supply",
        "Fits the nasal cannula or mask correctly",
        "Checks oxygen saturation as the care plan describes",
        "Keeps oxygen safety rules (no smoking, no naked flames, no oil-based creams)",
        "Knows what to do if saturation falls below the documented level",
    ]),
    ("oral-nasal-suction", "Oral and nasal suction", "respiratory", True, "high", 365, 3, [
        "Recognises when suction is needed",
        "Checks the suction unit and sets the documented pressure",
        "Uses the correct catheter size and inserts only to the documented depth",
        "Suctions for no longer than the documented time",
        "Observes colour, breathing and secretions, and records them",
        "Cleans the equipment and disposes of single-use items",
    ]),
    ("tracheostomy-stoma-care", "Tracheostomy stoma care", "tracheostomy", True, "high", 365, 3, [
        "Washes hands and uses clean technique",
        "Keeps the tube secure while cleaning",
        "Cleans and dries the stoma and checks the skin for redness or discharge",
        "Replaces the dressing and tapes or ties with one finger's space",
        "Records the stoma's condition and reports concerns",
    ]),
    ("tracheostomy-tube-change", "Tracheostomy tube change", "tracheostomy", True, "high", 182, 5, [
        "Prepares the new tube, a spare one size smaller, and the emergency equipment",
        "Checks the new tube's cuff (if cuffed) and inserts the obturator",
        "Positions the person with the neck extended",
        "Removes the old tube and inserts the new one smoothly, removing the obturator at once",
        "Confirms the airway is clear and the person is breathing comfortably",
        "Secures the tube and records the change",
        "Knows the emergency plan if the tube cannot be inserted",
    ]),
    ("tracheostomy-suction", "Tracheostomy suction", "tracheostomy", True, "high", 365, 3, [
        "Recognises when suction is needed",
        "Sets the documented suction pressure",
        "Measures and keeps to the documented catheter depth",
        "Suctions for no longer than the documented time, applying suction on withdrawal",
        "Observes colour, breathing and secretions, and records them",
        "Knows the emergency plan for a blocked tube",
    ]),
    ("peg-feed", "PEG / gastrostomy feed", "enteral_feeding", True, "medium", 365, 3, [
        "Checks the feed, rate and volume against the feeding plan",
        "Positions the person at the documented angle during and after the feed",
        "Flushes the tube with the documented volume before and after",
        "Sets up and runs the pump, or gives a bolus, as planned",
        "Checks the stoma site and recognises signs of displacement or infection",
        "Records the feed and flushes",
    ]),
    ("peg-medication", "Giving medication via PEG", "enteral_feeding", True, "high", 365, 3, [
        "Checks each medicine is prescribed for giving via the tube and in a suitable form",
        "Gives each medicine separately, flushing between them",
        "Uses an enteral (ENFit) syringe, never a standard one",
        "Flushes before and after as documented",
        "Records each medicine on the administration record",
    ]),
    ("capillary-blood-glucose", "Capillary blood glucose monitoring", "monitoring", True, "low", 365, 2, [
        "Checks the meter, strips and control as the manufacturer describes",
        "Cleans the finger with water and uses the side of the fingertip",
        "Reads and records the result accurately",
        "Acts on low or high results as the care plan describes",
        "Disposes of the lancet safely",
    ]),
    ("buccal-midazolam", "Buccal midazolam for seizures", "medication", True, "high", 365, 2, [
        "Recognises the seizure described in the person's seizure plan and times it",
        "Gives midazolam only at the time the plan states",
        "Gives the prescribed dose into the buccal space, half each side if the plan says so",
        "Keeps the person safe and in the recovery position afterwards",
        "Calls 999 when the plan says so, and records the time and dose",
    ]),
    ("intermittent-catheterisation", "Intermittent urinary catheterisation", "continence", True, "medium", 365, 3, [
        "Uses clean technique and the prescribed catheter",
        "Positions the person with privacy and dignity",
        "Inserts the catheter gently until urine flows, without force",
        "Drains the bladder fully and removes the catheter",
        "Records volume and reports signs of infection or bleeding",
    ]),
    ("catheter-care", "Indwelling catheter care", "continence", True, "low", 365, 2, [
        "Cleans around the catheter site daily as documented",
        "Keeps the drainage bag below bladder level and off the floor",
        "Changes and empties bags using clean technique",
        "Recognises a blocked catheter and signs of infection",
        "Records output as the care plan describes",
    ]),
    ("iv-medication", "Intravenous (IV) medication", "medication", False, "high", 365, 0, []),
    ("ng-tube-insertion", "Nasogastric tube insertion and position check", "enteral_feeding", False, "high", 365, 0, []),
]


def load(apps, schema_editor):
    HealthcareTask = apps.get_model("competencies", "HealthcareTask")
    for code, name, category, delegable, risk, days, practices, criteria in CATALOGUE:
        HealthcareTask.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "delegable": delegable,
                "risk_level": risk,
                "review_interval_days": days,
                "supervised_practices_required": practices,
                "criteria": criteria,
                "description": "" if delegable else "Not delegable: stays with a registered professional.",
            },
        )


def unload(apps, schema_editor):
    apps.get_model("competencies", "HealthcareTask").objects.filter(code__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
