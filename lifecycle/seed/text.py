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
