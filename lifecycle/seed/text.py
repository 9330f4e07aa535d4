"""The words of the demo data set (``lifecycle.seed``): organisations, clinical areas, and the
phrases people use at each step of an innovation's life.

Kept apart from the generator so that the story logic stays readable and the wording can be
improved without touching it. Names of organisations and sites are invented; funders are real
bodies that fund NHS innovation, because a board dashboard with invented funders looks wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lifecycle.governance.authority import Risk, Thresholds
from lifecycle.vocabulary import BetterDirection, ChartType, FundingSource, OrganisationKind

HIGHER, LOWER = BetterDirection.HIGHER, BetterDirection.LOWER
XMR, P, U = ChartType.XMR, ChartType.P, ChartType.U


@dataclass(frozen=True)
class OrganisationTemplate:
    name: str
    kind: OrganisationKind
    sites: tuple[str, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)


TRUSTS = (
    # A health board that lets team leaders approve more on their own: proportionate governance
    # differs between organisations, and the dashboards should show it.
    OrganisationTemplate(
        "Bro Taf University Health Board", OrganisationKind.HEALTH_BOARD,
        ("Ysbyty Glan Taf", "Ysbyty Cwm Rhondda", "Merthyr Community Hospital",
         "Canolfan Iechyd Pontypridd"),
        Thresholds(team_max_cost=Decimal("25000"), directorate_max_cost=Decimal("150000"),
                   directorate_max_risk=Risk.MEDIUM),
    ),
    OrganisationTemplate(
        "Severn Vale NHS Foundation Trust", OrganisationKind.TRUST,
        ("Severn Vale General Hospital", "Riverside Community Hospital",
         "Marlow Lane Treatment Centre"),
    ),
    OrganisationTemplate(
        "Pennine Moor Teaching Hospitals NHS Trust", OrganisationKind.TRUST,
        ("Pennine Moor Royal Infirmary", "Calder Valley Hospital"),
    ),
)
UNIVERSITY = OrganisationTemplate("Severnside University", OrganisationKind.UNIVERSITY,
                                  ("School of Healthcare Sciences",))
INDUSTRY = OrganisationTemplate("Medwise Digital Ltd", OrganisationKind.INDUSTRY, ())
CHARITY = OrganisationTemplate("Lighthouse Carers Trust", OrganisationKind.CHARITY,
                               ("Pontypridd Community Hub",))

STAFF_GROUP_WEIGHTS = {  # roughly the NHS workforce mix, frontline first
    "nursing_and_midwifery": 34, "medical_and_dental": 14, "allied_health_professionals": 14,
    "healthcare_scientists": 5, "additional_clinical_services": 13, "estates_and_ancillary": 6,
    "administrative_and_clerical": 11, "students": 3,
}

WARDS = ("Ward 7", "the Acute Medical Unit", "the Emergency Department", "Cedar Ward",
         "the Frailty Unit", "Ward 12 (orthopaedics)", "the Surgical Assessment Unit",
         "the Stroke Unit", "Heulwen Ward", "the Day Surgery Unit", "the community nursing team",
         "the Children's Ward", "the Respiratory Ward")


@dataclass(frozen=True)
class MeasureTemplate:
    """``baseline``/``scale``/``shift``: XmR mean, standard deviation and improvement; p the
    proportion, weekly denominator and improvement; u the rate per unit, weekly units and
    improvement. ``shift`` is a size: the generator applies it in the better direction."""

    name: str
    unit: str
    better: BetterDirection
    chart: ChartType
    baseline: float
    scale: float
    shift: float


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    tags: tuple[str, ...]
    problems: tuple[str, ...]
    ideas: tuple[tuple[str, str], ...]  # (title, the change in a verb phrase)
    measures: tuple[MeasureTemplate, ...]


AREAS = (
    Area("falls", "falls prevention", ("falls", "patient-safety", "frailty"), (
        "Older patients on {ward} fall at night, often on the way to the toilet; falls with "
        "harm lengthen stays and frighten families.",
        "Falls risk assessments are started on admission but rarely finished, so the patients "
        "most at risk are not identified until after a fall.",
    ), (
        ("Red socks for patients at high risk of falls", "give patients at high risk of "
         "falls non-slip red socks so every member of staff can see the risk at a glance"),
        ("Bay nursing for patients at risk of falls", "cohort patients at risk of falls in one "
         "bay with a nurse present at all times"),
        ("Falls huddle at every handover", "hold a two-minute falls safety huddle at each "
         "handover to agree who needs enhanced observation"),
    ), (
        MeasureTemplate("Inpatient falls per 1,000 bed days", "falls per 1,000 bed days",
                        LOWER, U, 6.4, 2.8, 1.6),
        MeasureTemplate("Multifactorial falls risk assessment within 24 hours",
                        "proportion of admissions", HIGHER, P, 0.62, 60, 0.17),
    )),
    Area("sepsis", "sepsis screening", ("sepsis", "deteriorating-patient", "emergency-care"), (
        "Patients with sepsis wait too long for antibiotics in {ward} when the department is "
        "crowded; screening happens late or not at all.",
        "Sepsis screening tools are on paper and get lost between triage and the majors area.",
    ), (
        ("Sepsis screening at triage", "screen every adult with a NEWS2 of 5 or more for "
         "sepsis at triage, with a grab bag for the first hour"),
        ("Digital sepsis alert in the electronic observations system", "trigger an electronic "
         "sepsis alert from the observations system to the nurse in charge"),
        ("Sepsis champions on every shift", "name a sepsis champion on every shift who checks "
         "that screening and antibiotics happen within the hour"),
    ), (
        MeasureTemplate("Adults screened for sepsis within 1 hour of arrival",
                        "proportion of eligible adults", HIGHER, P, 0.71, 120, 0.14),
        MeasureTemplate("Door-to-antibiotic time (weekly median)", "minutes", LOWER, XMR,
                        78, 11, 19),
    )),
    Area("discharge", "discharge planning", ("discharge", "patient-flow", "home-first"), (
        "Patients medically fit for discharge on {ward} wait days for medicines, transport "
        "and care packages, and beds are not available for people waiting in the ED.",
        "Discharge planning starts on the day of discharge rather than on admission.",
    ), (
        ("Criteria-led discharge", "let nurses and therapists discharge patients who meet "
         "criteria agreed by the consultant on the post-take ward round"),
        ("Discharge lounge by 10am", "move patients going home to the discharge lounge by "
         "10am so their beds are free for morning admissions"),
        ("Estimated date of discharge on admission", "set and share an estimated date of "
         "discharge within 24 hours of admission"),
    ), (
        MeasureTemplate("Mean length of stay", "days", LOWER, XMR, 7.4, 0.55, 0.9),
        MeasureTemplate("Discharges before midday", "proportion of discharges", HIGHER, P,
                        0.18, 180, 0.1),
    )),
    Area("virtual-wards", "virtual wards", ("virtual-ward", "hospital-at-home", "digital"), (
        "Frail patients are admitted for monitoring that could happen at home, and catch "
        "infections or lose mobility while in hospital.",
        "Patients with heart failure are readmitted soon after discharge because changes in "
        "weight and breathlessness are noticed too late.",
    ), (
        ("Virtual ward for frailty", "monitor frail patients at home with daily video calls "
         "and a rapid response visit when needed"),
        ("Remote monitoring for heart failure", "give patients with heart failure connected "
         "scales and a pulse oximeter that report to the specialist nurses"),
        ("Step-down virtual ward for respiratory patients", "discharge respiratory patients "
         "early to a virtual ward with home oxygen saturation monitoring"),
    ), (
        MeasureTemplate("Virtual ward occupancy", "% of virtual beds", HIGHER, XMR, 62, 5.5, 11),
        MeasureTemplate("Readmission within 30 days", "proportion of discharges", LOWER, P,
                        0.14, 45, 0.05),
    )),
    Area("pressure", "pressure ulcer prevention", ("pressure-ulcers", "tissue-viability"), (
        "Hospital-acquired pressure ulcers on {ward} are found late, when they are already "
        "category 3, because skin checks are not recorded consistently.",
        "Patients wait for pressure-relieving mattresses, sometimes for over a day.",
    ), (
        ("SSKIN bundle on a single page", "replace three pressure ulcer forms with a one-page "
         "SSKIN bundle at the bedside"),
        ("Mattress library on every site", "keep a stock of pressure-relieving mattresses on "
         "each site that ward staff can book directly"),
        ("Skin champions for healthcare support workers", "train a skin champion in every "
         "team of healthcare support workers"),
    ), (
        MeasureTemplate("Hospital-acquired pressure ulcers per 1,000 bed days",
                        "ulcers per 1,000 bed days", LOWER, U, 1.9, 2.8, 0.6),
        MeasureTemplate("SSKIN bundle completed", "proportion of patients at risk", HIGHER, P,
                        0.74, 50, 0.13),
    )),
    Area("medicines", "medicines safety", ("medicines", "patient-safety", "pharmacy"), (
        "Time-critical medicines such as Parkinson's medication and insulin are given late on "
        "{ward}, especially during drug rounds interrupted by admissions.",
        "Omitted doses are common because medicines are not on the ward when needed.",
    ), (
        ("Do-not-disturb tabards for drug rounds", "have nurses wear do-not-disturb tabards "
         "during drug rounds so they are not interrupted"),
        ("Time-critical medicines alarm", "set electronic reminders for time-critical "
         "medicines on the electronic prescribing system"),
        ("Pharmacy technician on the post-take ward round", "bring a pharmacy technician to "
         "the post-take ward round to reconcile medicines on admission"),
    ), (
        MeasureTemplate("Time-critical medicines given on time", "proportion of doses",
                        HIGHER, P, 0.81, 150, 0.1),
        MeasureTemplate("Omitted doses per 1,000 administrations",
                        "omissions per 1,000 administrations", LOWER, U, 12, 6, 3.5),
    )),
    Area("news2", "the deteriorating patient", ("news2", "deteriorating-patient"), (
        "Observations are late or incomplete overnight on {ward}, so rising NEWS2 scores are "
        "escalated hours after the patient starts to deteriorate.",
        "Junior doctors are called about deteriorating patients without a structured handover.",
    ), (
        ("Structured escalation with SBAR and NEWS2", "use an SBAR escalation card linked to "
         "the NEWS2 score for every call to the doctor"),
        ("Overnight observation rounds by a critical care outreach nurse", "add a 2am outreach "
         "round to review every patient with a NEWS2 of 3 or more"),
        ("Handheld observations devices", "record observations on handheld devices that "
         "calculate NEWS2 and alert the nurse in charge"),
    ), (
        MeasureTemplate("NEWS2 observations completed on time", "proportion of observation sets",
                        HIGHER, P, 0.83, 200, 0.08),
        MeasureTemplate("Cardiac arrests per 1,000 admissions", "arrests per 1,000 admissions",
                        LOWER, U, 1.3, 1.6, 0.5),
    )),
    Area("outpatients", "outpatient transformation", ("outpatients", "patient-experience"), (
        "Patients travel long distances for routine follow-up appointments that change "
        "nothing, while new patients wait months to be seen.",
        "Many outpatient appointments are missed because letters arrive late or go astray.",
    ), (
        ("Patient-initiated follow-up", "let patients with stable conditions book a follow-up "
         "when they need one instead of at fixed intervals"),
        ("Text message reminders with a rebooking link", "send text reminders a week and a "
         "day before each appointment with a link to rebook"),
        ("Video clinics for routine reviews", "offer video consultations for routine reviews "
         "where no examination is needed"),
    ), (
        MeasureTemplate("Missed appointments (DNA rate)", "proportion of appointments", LOWER,
                        P, 0.088, 900, 0.025),
        MeasureTemplate("Median wait for a first appointment", "weeks", LOWER, XMR, 14, 1.1, 2.4),
    )),
    Area("theatres", "theatre productivity", ("theatres", "elective-recovery"), (
        "Theatre lists start late and finish early; patients are cancelled on the day because "
        "the list overran or a bed was not available.",
        "Pre-operative assessment happens too close to surgery to fix problems it finds.",
    ), (
        ("Theatre team brief at 8.15am", "hold the team brief at 8.15am so the first patient "
         "is in the anaesthetic room by 8.30am"),
        ("Six-four-two scheduling", "plan theatre lists at six, four and two weeks with "
         "surgeons, anaesthetists and the bed managers"),
        ("Pre-operative assessment at the point of listing", "start pre-operative assessment "
         "on the day a patient is listed for surgery"),
    ), (
        MeasureTemplate("Theatre session utilisation", "% of session time", HIGHER, XMR,
                        76, 4, 6.5),
        MeasureTemplate("On-the-day cancellations", "proportion of booked cases", LOWER, P,
                        0.07, 140, 0.03),
    )),
    Area("wellbeing", "staff wellbeing", ("staff-wellbeing", "retention"), (
        "Staff on {ward} rarely take breaks and sickness absence from stress is rising.",
        "Newly qualified nurses leave within two years; exit interviews cite lack of support.",
    ), (
        ("Wobble rooms on every site", "create a quiet wellbeing room on every site staffed "
         "by a trained peer supporter"),
        ("Preceptorship buddies", "pair every newly qualified nurse with a buddy for the first "
         "year"),
        ("Protected breaks with a break board", "use a break board at the nurses' station so "
         "that every break is planned and covered"),
    ), (
        MeasureTemplate("Sickness absence", "% of contracted hours", LOWER, XMR, 5.9, 0.42, 0.8),
        MeasureTemplate("Staff completing a wellbeing check-in", "proportion of staff", HIGHER,
                        P, 0.4, 60, 0.18),
    )),
    Area("green", "environmental sustainability", ("net-zero", "sustainability", "theatres"), (
        "Anaesthetic gases such as desflurane make up a large share of the organisation's "
        "carbon footprint.",
        "Single-use theatre gowns and drapes create tonnes of clinical waste every month.",
    ), (
        ("Decommission desflurane", "remove desflurane vaporisers and switch to lower-carbon "
         "anaesthetic agents"),
        ("Reusable theatre gowns", "replace single-use gowns with reusable gowns laundered "
         "on site"),
        ("Switch off the anaesthetic gas scavenging out of hours", "turn off gas scavenging "
         "systems in empty theatres overnight"),
    ), (
        MeasureTemplate("Anaesthetic gas emissions", "kg CO2e per week", LOWER, XMR,
                        950, 85, 260),
        MeasureTemplate("Reusable gowns used", "proportion of gowns", HIGHER, P, 0.3, 400, 0.28),
    )),
    Area("maternity", "maternity care", ("maternity", "continuity-of-carer"), (
        "Women see a different midwife at almost every antenatal appointment and tell us they "
        "have to repeat their story.",
        "Inductions of labour are delayed for hours once a decision is made.",
    ), (
        ("Continuity of carer teams", "organise midwives into small teams that care for the "
         "same women through pregnancy, birth and after"),
        ("Outpatient induction of labour", "offer suitable women an outpatient induction so "
         "they can wait at home"),
        ("Induction coordinator role", "name an induction coordinator on each shift to keep "
         "inductions moving"),
    ), (
        MeasureTemplate("Women receiving continuity of carer", "proportion of bookings",
                        HIGHER, P, 0.32, 70, 0.2),
        MeasureTemplate("Decision to induction", "hours (weekly mean)", LOWER, XMR, 21, 3, 5.5),
    )),
    Area("delirium", "delirium and dementia care", ("delirium", "dementia", "frailty"), (
        "Delirium in older patients on {ward} is missed or mistaken for dementia, so its "
        "causes are not treated.",
        "Patients with dementia become distressed at night in unfamiliar surroundings.",
    ), (
        ("4AT delirium screening on admission", "screen every patient over 65 with the 4AT "
         "within 24 hours of admission"),
        ("'This is me' passports", "complete a 'This is me' passport with families so staff "
         "know what calms each patient"),
        ("Activity coordinators on older people's wards", "employ activity coordinators to "
         "run daytime activities on older people's wards"),
    ), (
        MeasureTemplate("Patients over 65 screened for delirium", "proportion of admissions",
                        HIGHER, P, 0.55, 90, 0.22),
    )),
    Area("nutrition", "nutrition and hydration", ("nutrition", "hydration"), (
        "Patients on {ward} are not weighed or screened for malnutrition on admission, and "
        "meals go uneaten when patients need help.",
        "Dehydration goes unnoticed because fluid charts are incomplete.",
    ), (
        ("Protected mealtimes with red trays", "serve patients who need help on red trays "
         "and protect mealtimes from ward rounds"),
        ("Hydration stations and coloured jugs", "put hydration stations in every bay and use "
         "coloured jugs to show who needs encouragement to drink"),
        ("MUST screening in the admission bundle", "add the MUST screening tool to the "
         "admission bundle with a dietetic referral at a score of 2"),
    ), (
        MeasureTemplate("MUST screen completed within 24 hours", "proportion of admissions",
                        HIGHER, P, 0.66, 110, 0.16),
    )),
)
AREA_BY_KEY = {a.key: a for a in AREAS}

CHALLENGES = (  # (title, problem, area keys)
    ("Keeping patients safe from falls this winter", "Falls rise every winter as wards fill "
     "with frail patients. What would help you prevent them on your ward?", ("falls", "delirium")),
    ("Home First: getting people home sooner", "Too many people stay in hospital after they are "
     "well enough to leave. How could we get them home, or care for them at home, sooner?",
     ("discharge", "virtual-wards")),
    ("Spotting deterioration earlier", "How could we recognise and respond to a deteriorating "
     "patient sooner, day and night?", ("sepsis", "news2")),
    ("Greener NHS", "Help us reach net zero: which of our everyday practices could be greener "
     "without harming care?", ("green",)),
    ("Looking after our people", "What would make the biggest difference to your wellbeing at "
     "work?", ("wellbeing",)),
    ("Outpatients: fewer wasted journeys", "How could outpatient care be more convenient for "
     "patients and free clinic time for those who need it?", ("outpatients",)),
    ("Safer medicines", "Where do medicines go wrong on your ward, and what would fix it?",
     ("medicines",)),
    ("Better births", "How could we give women more continuity and choice in maternity care?",
     ("maternity",)),
)

COMMENTS = (
    "We tried something similar on our ward last year; happy to share what we learned.",
    "Great idea. Night shifts would need to be involved from the start.",
    "Could this work in the community hospitals too?",
    "Have you spoken to the {area} lead? They were looking at this.",
    "Patients on our ward have said exactly this in feedback.",
    "Would need a small amount of funding for kit, but staff time is the real cost.",
    "Worth checking how this fits with the national guidance on {area}.",
    "Support this; it would save our team a lot of time.",
)
REQUEST_INFORMATION = (
    "Please say which wards would test this first and who would lead it.",
    "Could you describe how many patients this affects each month?",
    "Please add what you think it would cost and what it would save.",
)
REVISION_NOTE = (" Update after triage: we would start on one ward for four weeks, led by the "
                 "ward manager, with about 30 patients a month affected.")
ACCEPT = (
    "Clear problem, fits our quality priorities for {area}; move to concept.",
    "Strong frontline support; worth developing into a small test of change.",
    "Aligns with the {area} improvement programme; accepted for development.",
)
DECLINE = (
    "Already covered by the organisation-wide {area} programme; please join that group.",
    "Outside what the innovation team can support; passed to the directorate for information.",
    "Would need a change to national contracts that we cannot make locally.",
)
MERGE = "Duplicate of '{title}'; merged so the ideas and their supporters are in one place."
PARK = (
    "No capacity in the team until the winter pressures ease; revisit in the spring.",
    "Waiting for the new electronic patient record before testing further.",
    "Clinical lead on long-term leave; parked until a new lead is found.",
)
REOPEN = "Capacity has freed up and a new clinical lead has volunteered."
CLOSE = (
    ("Prototypes did not show a benefit worth the staff time.",
     "The measure did not move across two PDSA cycles; staff found the extra step hard to "
     "sustain on night shifts. Keep the learning for the {area} group."),
    ("Superseded by a national programme on {area}.",
     "Our local work fed into the national specification; the learning is shared with the "
     "programme team."),
    ("The supplier withdrew the product.",
     "Check supplier viability earlier; build exit plans into prototypes with industry."),
)

PROTOTYPE_TITLES = ("PDSA {n}: {title} on {ward}", "Test of change {n}: {title}",
                    "PDSA cycle {n} at {site}")
HYPOTHESIS = ("If we {change} on {ward}, then {measure} will improve within {weeks} weeks.",
              "We predict that if we {change}, {measure} will improve without adding to staff "
              "workload.")
PLAN = ("Run for {weeks} weeks on {ward} at {site}; collect {measure} daily and review it at the "
        "weekly huddle with the ward team.")
RESULT = {
    "SUCCEEDED": "{measure} improved on {ward} during the cycle and staff want to keep it.",
    "FAILED": "No change in {measure}; the new step was skipped on busy shifts and at night.",
    "INCONCLUSIVE": "Too few patients during the cycle to tell whether {measure} changed.",
}
LEARNING = (
    "Involve the night team from the start; day-only testing hid the real barriers.",
    "The paperwork was the problem, not the idea: a single page worked far better.",
    "Patients and families liked it; staff needed a two-minute briefing, not a training day.",
    "Start smaller: one bay rather than the whole ward made problems easier to see.",
    "The measure needs an operational definition agreed with the informatics team.",
)

EVIDENCE = ("{method} over {weeks} weeks at {site}: run chart of {measure}, {staff} staff "
            "survey responses and {patients} patient interviews.")
RECOMMENDATION = {
    "ADOPT": "Adopt at {site} and plan spread to the other sites.",
    "ADAPT": "Adopt with adaptations for community settings.",
    "PILOT_FURTHER": "Run a further cycle on a second ward before deciding.",
    "REJECT": "Do not adopt: the benefit does not justify the cost.",
    "DEFER": "Defer until funding for the next financial year is confirmed.",
}
RATIONALE = {
    "ADOPT": "The evaluation shows a sustained improvement in {measure} with no safety "
             "concerns; the cost is within budget.",
    "ADAPT": "Benefit shown in the acute setting; the community model needs adapting first.",
    "PILOT_FURTHER": "Promising, but tested on one ward only; we need evidence from a second "
                     "ward with a different case mix.",
    "REJECT": "Scores on patient outcomes and value are too low to justify the investment.",
    "DEFER": "Supported in principle, but there is no recurrent funding this year.",
}
CONDITIONS = ("Use the community nursing version of the tool and review at six months.",
              "Replace the paper form with the electronic template before spread.",
              "Train a champion on each ward before go-live; report the measure to the board "
              "quarterly.")

INVOLVEMENT = {
    "PATIENT_PUBLIC": (("Patient and public partnership panel", "Co-designed the patient "
                        "information leaflet and tested it with the panel."),
                       ("Carers' forum", "Carers described what happens at home after "
                        "discharge; their stories shaped the design."),
                       ("Maternity and Neonatal Voices Partnership", "Reviewed the proposal "
                        "and asked for information in Welsh and in easy read.")),
    "STAKEHOLDER": (("Ward managers' forum", "Agreed which wards would test the change and "
                     "when."),
                    ("Clinical pharmacists", "Checked the proposal against medicines policy."),
                    ("Digital health team", "Advised on integration with the electronic "
                     "patient record.")),
}

FUNDERS: dict[FundingSource, tuple[tuple[str, str | None, int, int], ...]] = {
    # (funder, programme, smallest and largest award in pounds)
    FundingSource.GOVERNMENT: (("Welsh Government", "Regional Integration Fund", 20_000, 250_000),
                               ("NHS England", "Transformation funding", 25_000, 300_000)),
    FundingSource.CHARITY: (("The Health Foundation", "Q Exchange", 10_000, 30_000),
                            ("Bevan Commission", "Bevan Exemplars", 5_000, 20_000),
                            ("NHS Charities Together", "Community grants", 5_000, 60_000)),
    FundingSource.RESEARCH_COUNCIL: (("NIHR", "Research for Patient Benefit", 80_000, 350_000),
                                     ("Health and Care Research Wales",
                                      "Research for Patient and Public Benefit", 50_000,
                                      250_000)),
    FundingSource.SBRI: (("SBRI Healthcare", "Competition phase 1", 40_000, 100_000),
                         ("SBRI Centre of Excellence", "Phase 2", 150_000, 900_000)),
    FundingSource.INDUSTRY: (("Medwise Digital Ltd", "Joint working agreement", 10_000, 120_000),),
    FundingSource.INTERNAL: (("Charitable funds", None, 1_000, 15_000),
                             ("Innovation small grants", "Bright Ideas fund", 500, 5_000)),
}

ADAPTATION = (
    "Adapted to our electronic patient record; otherwise as designed.",
    "Run by healthcare support workers rather than registered nurses.",
    "Adapted for a community hospital with no on-site doctor overnight.",
    "Patient materials translated into Welsh; launched one ward at a time.",
    "Started with day shifts only while staffing is short.",
)
SUSTAIN = ("Still in place six months on and built into the ward's standard work.",
           "Measure has held its improvement; ownership moved to the ward manager.")
ABANDON = ("Lost the clinical lead and could not find a replacement.",
           "Local process differed too much; the adaptation did not work here.",
           "Paused for winter pressures and never restarted.")
EMBED = ("Now standard practice in the organisation, written into policy and induction.",
         "Funded recurrently from next year and part of the service specification.")
REVOKE = "The joint working agreement ended."
PHASE_DESCRIPTION = "Change introduced: {change}."
PHASE_REASON = "Go-live of the change; limits recalculated for the new process as agreed by {who}."
