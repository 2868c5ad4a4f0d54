"""The words a text may not contain: conditions, treatments, medicines, equipment and care tasks.

The second line of the minimal-data rule (texts are fixed templates first): broad on purpose,
matched as whole words and phrases, in any case; a trailing `*` takes any ending ("diabet*":
diabetes, diabetic). CAPITALS_ONLY are matched only in capitals, because in lower case they are
ordinary words or titles ("Ms", "cp"). Apps above notifications add their own words through
`notifications.sms.register_vocabulary` (competencies: the task catalogue's names and categories).
"""

CONDITIONS = """
abscess*, acid reflux, addison*, adhd, alcoholi*, alzheimer*, amputee*, anaemi*, anaphyla*, aneurysm*,
angina, anorexi*, anxiety disorder*, aphasia, apnoea, apnea, arrhythmi*, arthritis, asperger*, asthma*,
ataxia, atrial fibrillation, autis*, bipolar, bowel cancer, brain injur*, brain tumour*, bronchiectasis,
bronchitis, bulimi*, cancer*, carcinoma*, cardiac, cardiomyopath*, cataract*, cellulitis, cerebral palsy,
chest infection*, chronic fatigue, chronic kidney, cirrhosis, coeliac, colitis, coma, comatose, concussion,
constipat*, copd, covid*, crohn*, cystic fibrosis, dehydrat*, delirium, dementia*, depressive, depression,
dermatitis, diabet*, diarrhoea, diarrhea, down syndrome, down's syndrome, duchenne, dysphagia, dyspraxia,
eating disorder*, eczema, edwards syndrome, emphysema, encephal*, epilep*, fibromyalgia, fracture*,
gangren*, gastroenteritis, glaucoma, gout, haemophilia, hemophilia, heart attack*, heart disease,
heart failure, hepatitis, hernia*, hiv, hodgkin*, huntington*, hydrocephal*, hyperglycaemi*, hyperglycemi*,
hypertension, hypoglycaemi*, hypoglycemi*, hypotension, hypoxi*, hypo, hypos, incontinen*, infection*,
influenza, kidney disease, kidney failure, renal, leukaemi*, leukemi*, liver disease, lupus, lymphoma*,
malignan*, melanoma*, meningitis, mental health, mental illness*, metasta*, migraine*, miscarriage*,
motor neurone disease, motor neuron disease, multiple sclerosis, muscular dystrophy, myeloma*, neuropath*,
obsessive compulsive, oncolog*, osteoporosis, overdose*, paralys*, paralysed, paraplegi*, parkinson*,
pneumonia, pressure sore*, pressure ulcer*, pressure injur*, psoriasis, psychiatr*, psychos*, psychotic,
ptsd, pulmonary, rett syndrome, schizo*, scoliosis, seizure*, self-harm*, self harm*, sepsis, septic,
sickle cell, spina bifida, spinal injur*, spinal cord injur*, stroke*, suicid*, terminal illness*,
terminally ill, tetraplegi*, quadriplegi*, thrombosis, tourette*, trisomy, tuberculosis, tumour*, tumor*,
ulcer*, urinary infection*, urinary tract infection*, uti, utis, dvt, learning disabilit*, learning difficult*,
cognitive impairment, brain damage*, stoma*, dysreflexia, hydrocephalus, respiratory, continence
"""

TREATMENTS = """
ablation, amputation*, anaesthe*, anesthe*, antibiotic*, anticoagula*, antidepressant*, antipsychotic*,
aspirat*, bipap, blood test*, blood transfusion*, blood pressure, blood sugar*, bolus*, bronchodilator*,
buccal*, cannula*, cannulat*, catheter*, chemo, chemotherapy, colostom*, cpap, defibrillat*, dialys*,
dnacpr, dnar, do not resuscitate, dressing change*, enema*, enteral*, end of life, end-of-life,
feeding pump*, feeding tube*, gastrostom*, haemodialysis, hemodialysis, hoist*, hospice*, ileostom*,
immunotherap*, infusion*, inhaler*, inject*, insulin*, intravenous*, intubat*, iv, iv line*, jejunostom*,
mechanical ventilation, nasogastric, nebuli*, ng, ng tube*, nil by mouth, oxygen*, pacemaker*, palliat*,
parenteral, peg, peg feed*, peg tube*, pessar*, physiotherap*, picc, picc line*, port-a-cath, postural drainage,
radiotherap*, rectal*, resuscitat*, respirator*, sectioned, sharps, sharps bin*, speech therap*, stent*,
stoma care, subcutaneous*, suction*, suppositor*, surgery, surgeries, surgical*, suture*, syringe*,
syringe driver*, tpn, trache*, tracheostom*, transfusion*, transplant*, tube feed*, tube-fed, urostom*,
ventilat*, niv, hfnc, wound care, wound dressing*, chest physio*, cough assist*, ecg, eeg, mri,
ct scan*, x-ray*, biopsy, biopsies, continence pad*, incontinence pad*, bowel care, bladder*, catheteris*,
catheteriz*, convene*, spc, suprapubic*, blood glucose, capillary blood, glucose, oximet*, peak flow,
mastectomy, chemotherapies, radiation therapy, dialysis, hydrotherapy, occupational therap*, fluid thickener*,
thickened fluid*, pureed diet*, nasal cannula*, nebs, sats, oxygen saturation*, epipen*, epi-pen*,
auto-injector*, autoinjector*, tube change*, gastric, enteral feeding, stoma bag*, ostomy, ostomies, sliding sheet*
"""

MEDICINES = """
adrenaline, midazolam, diazepam, lorazepam, clonazepam, buccolam*, morphine*, oxycodone, codeine, fentanyl,
diamorphine, tramadol, methadone, paracetamol, ibuprofen, naproxen, warfarin, heparin*, enoxaparin, clexane,
apixaban, rivaroxaban, dabigatran, edoxaban, metformin, gliclazide, levothyroxine, salbutamol, ventolin,
seretide, symbicort, prednisolone, dexamethasone, hydrocortisone, levetiracetam, keppra, sodium valproate,
valproate, epilim, carbamazepine, lamotrigine, phenytoin, topiramate, gabapentin, pregabalin, baclofen,
glycopyrronium, hyoscine, omeprazole, lansoprazole, ranitidine, movicol, laxido, lactulose, senna, docusate,
laxative*, amitriptyline, sertraline, fluoxetine, citalopram, mirtazapine, risperidone, olanzapine,
quetiapine, haloperidol, aripiprazole, lithium, clozapine, methylphenidate, ritalin, melatonin, amoxicillin,
penicillin, flucloxacillin, co-amoxiclav, clarithromycin, doxycycline, trimethoprim, nitrofurantoin,
vancomycin, gentamicin, ceftriaxone, antifungal*, statin*, atorvastatin, simvastatin, ramipril, amlodipine,
bisoprolol, furosemide, digoxin, gtn, opioid*, opiate*, steroid*, anticonvulsant*, antiepileptic*,
sedative*, sedation, analgesi*, medication*, medicine*, prescription*, prescribed, controlled drug*,
naloxone, glucagon, glucogel, hypostop, dextrose, methotrexate, chemo drug*, painkiller*, pain relief,
antihistamine*, immunosuppress*, lmwh, diagnos*, prognos*, symptom*
"""

CAPITALS_ONLY = "MS, MND, CP, ALS, TB, ASD, OCD, CKD, AKI, MRSA, CFS, GORD, IBD, IBS, SMA, NJ, RIG, PEJ, DNR, LD"


def _listed(block):
    return [term.strip() for term in block.replace("\n", " ").split(",") if term.strip()]


TERMS = _listed(CONDITIONS) + _listed(TREATMENTS) + _listed(MEDICINES)
CAPITALS = _listed(CAPITALS_ONLY)
