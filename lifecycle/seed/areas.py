"""The clinical areas of the demo data set (``lifecycle.seed``): for each, the problems staff
describe, the ideas they have (a title and the change as a verb phrase) and the measures that would
show improvement, with the statistics the generator draws their weekly points from."""

from __future__ import annotations

from dataclasses import dataclass

from lifecycle.vocabulary import BetterDirection, ChartType

HIGHER, LOWER = BetterDirection.HIGHER, BetterDirection.LOWER
XMR, P, U = ChartType.XMR, ChartType.P, ChartType.U


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
