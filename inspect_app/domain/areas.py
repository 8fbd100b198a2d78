"""Areas in DfE's statistics: England, the nine regions, and local authorities keyed on DfE's 3-digit code.

DfE keys a local authority (LA) on its 3-digit `old_la_code`, which stays stable when an authority changes
form, and prints a 9-character ONS-style `new_la_code` beside it. The 9-character code is the join hazard:

- Buckinghamshire (825) is E10000002 in DfE's 2019, 2023 and 2024 rows but E06000060 in 2020-2022, so the code
  flips within one file.
- North Yorkshire (815) and Somerset (933) became unitary on 1 April 2023. ONS, LAIT and the statistical
  neighbour tool use their new codes E06000065 and E06000066; DfE's EHCP files keep E10000023 and E10000027.

So every LA is keyed here on the 3-digit code, with every 9-character code it is known by. Predecessor and
successor authorities (Cumbria 909 -> Cumberland 942 and Westmorland and Furness 943, and so on) are separate
series: the reorganisations below record how they relate, and nothing here adds one to another.
Source: reference/data-formats.md §3 and the LA rows of DfE's published files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"

NATIONAL = "National"
REGIONAL = "Regional"
LOCAL_AUTHORITY = "Local authority"
LEVELS = (NATIONAL, REGIONAL, LOCAL_AUTHORITY)

# DfE's names; Ofsted writes "Yorkshire and the Humber" (see find_region_code).
REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}

OLD_LA_CODE = re.compile(r"\d{3}")
NINE_CHAR_CODE = re.compile(r"[EWSN]\d{8}")
REGION_CODE = re.compile(r"E12\d{6}")


@dataclass(frozen=True, slots=True)
class LocalAuthority:
    """One local authority as DfE publishes it."""

    code: str  # DfE 3-digit old_la_code
    name: str  # DfE's spelling ("Bristol, City of", "St. Helens")
    region_code: str
    dfe_code: str  # the 9-character code in DfE's latest EHCP files
    ons_code: str  # the current ONS code (LAIT and the statistical neighbour tool use it)
    other_codes: tuple[str, ...] = ()  # further 9-character codes DfE has printed for this 3-digit code

    @property
    def nine_char_codes(self) -> frozenset[str]:
        """Every 9-character code this authority is known by."""
        return frozenset({self.dfe_code, self.ons_code, *self.other_codes})


@dataclass(frozen=True, slots=True)
class Reorganisation:
    """A change of local government: predecessors stop, successors start, and their series stay separate."""

    effective: date
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class Area:
    """An area as seen in one imported file: its code, name, level and every 9-character code printed for it."""

    code: str  # 3-digit old_la_code for an LA, E12… for a region, E92000001 for England
    name: str
    level: str  # one of LEVELS
    region_code: str | None = None
    nine_char_codes: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()


# code, DfE name, region code, 9-character code in DfE's latest EHCP files (the most recent row seen).
_LA_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("201", "City of London", "E12000007", "E09000001"),
    ("202", "Camden", "E12000007", "E09000007"),
    ("203", "Greenwich", "E12000007", "E09000011"),
    ("204", "Hackney", "E12000007", "E09000012"),
    ("205", "Hammersmith and Fulham", "E12000007", "E09000013"),
    ("206", "Islington", "E12000007", "E09000019"),
    ("207", "Kensington and Chelsea", "E12000007", "E09000020"),
    ("208", "Lambeth", "E12000007", "E09000022"),
    ("209", "Lewisham", "E12000007", "E09000023"),
    ("210", "Southwark", "E12000007", "E09000028"),
    ("211", "Tower Hamlets", "E12000007", "E09000030"),
    ("212", "Wandsworth", "E12000007", "E09000032"),
    ("213", "Westminster", "E12000007", "E09000033"),
    ("301", "Barking and Dagenham", "E12000007", "E09000002"),
    ("302", "Barnet", "E12000007", "E09000003"),
    ("303", "Bexley", "E12000007", "E09000004"),
    ("304", "Brent", "E12000007", "E09000005"),
    ("305", "Bromley", "E12000007", "E09000006"),
    ("306", "Croydon", "E12000007", "E09000008"),
    ("307", "Ealing", "E12000007", "E09000009"),
    ("308", "Enfield", "E12000007", "E09000010"),
    ("309", "Haringey", "E12000007", "E09000014"),
    ("310", "Harrow", "E12000007", "E09000015"),
    ("311", "Havering", "E12000007", "E09000016"),
    ("312", "Hillingdon", "E12000007", "E09000017"),
    ("313", "Hounslow", "E12000007", "E09000018"),
    ("314", "Kingston upon Thames", "E12000007", "E09000021"),
    ("315", "Merton", "E12000007", "E09000024"),
    ("316", "Newham", "E12000007", "E09000025"),
    ("317", "Redbridge", "E12000007", "E09000026"),
    ("318", "Richmond upon Thames", "E12000007", "E09000027"),
    ("319", "Sutton", "E12000007", "E09000029"),
    ("320", "Waltham Forest", "E12000007", "E09000031"),
    ("330", "Birmingham", "E12000005", "E08000025"),
    ("331", "Coventry", "E12000005", "E08000026"),
    ("332", "Dudley", "E12000005", "E08000027"),
    ("333", "Sandwell", "E12000005", "E08000028"),
    ("334", "Solihull", "E12000005", "E08000029"),
    ("335", "Walsall", "E12000005", "E08000030"),
    ("336", "Wolverhampton", "E12000005", "E08000031"),
    ("340", "Knowsley", "E12000002", "E08000011"),
    ("341", "Liverpool", "E12000002", "E08000012"),
    ("342", "St. Helens", "E12000002", "E08000013"),
    ("343", "Sefton", "E12000002", "E08000014"),
    ("344", "Wirral", "E12000002", "E08000015"),
    ("350", "Bolton", "E12000002", "E08000001"),
    ("351", "Bury", "E12000002", "E08000002"),
    ("352", "Manchester", "E12000002", "E08000003"),
    ("353", "Oldham", "E12000002", "E08000004"),
    ("354", "Rochdale", "E12000002", "E08000005"),
    ("355", "Salford", "E12000002", "E08000006"),
    ("356", "Stockport", "E12000002", "E08000007"),
    ("357", "Tameside", "E12000002", "E08000008"),
    ("358", "Trafford", "E12000002", "E08000009"),
    ("359", "Wigan", "E12000002", "E08000010"),
    ("370", "Barnsley", "E12000003", "E08000016"),
    ("371", "Doncaster", "E12000003", "E08000017"),
    ("372", "Rotherham", "E12000003", "E08000018"),
    ("373", "Sheffield", "E12000003", "E08000019"),
    ("380", "Bradford", "E12000003", "E08000032"),
    ("381", "Calderdale", "E12000003", "E08000033"),
    ("382", "Kirklees", "E12000003", "E08000034"),
    ("383", "Leeds", "E12000003", "E08000035"),
    ("384", "Wakefield", "E12000003", "E08000036"),
    ("390", "Gateshead", "E12000001", "E08000037"),
    ("391", "Newcastle upon Tyne", "E12000001", "E08000021"),
    ("392", "North Tyneside", "E12000001", "E08000022"),
    ("393", "South Tyneside", "E12000001", "E08000023"),
    ("394", "Sunderland", "E12000001", "E08000024"),
    ("420", "Isles of Scilly", "E12000009", "E06000053"),
    ("800", "Bath and North East Somerset", "E12000009", "E06000022"),
    ("801", "Bristol, City of", "E12000009", "E06000023"),
    ("802", "North Somerset", "E12000009", "E06000024"),
    ("803", "South Gloucestershire", "E12000009", "E06000025"),
    ("805", "Hartlepool", "E12000001", "E06000001"),
    ("806", "Middlesbrough", "E12000001", "E06000002"),
    ("807", "Redcar and Cleveland", "E12000001", "E06000003"),
    ("808", "Stockton-on-Tees", "E12000001", "E06000004"),
    ("810", "Kingston upon Hull, City of", "E12000003", "E06000010"),
    ("811", "East Riding of Yorkshire", "E12000003", "E06000011"),
    ("812", "North East Lincolnshire", "E12000003", "E06000012"),
    ("813", "North Lincolnshire", "E12000003", "E06000013"),
    ("815", "North Yorkshire", "E12000003", "E10000023"),
    ("816", "York", "E12000003", "E06000014"),
    ("821", "Luton", "E12000006", "E06000032"),
    ("822", "Bedford", "E12000006", "E06000055"),
    ("823", "Central Bedfordshire", "E12000006", "E06000056"),
    ("825", "Buckinghamshire", "E12000008", "E10000002"),
    ("826", "Milton Keynes", "E12000008", "E06000042"),
    ("830", "Derbyshire", "E12000004", "E10000007"),
    ("831", "Derby", "E12000004", "E06000015"),
    ("835", "Dorset", "E12000009", "E10000009"),
    ("836", "Poole", "E12000009", "E06000029"),
    ("837", "Bournemouth", "E12000009", "E06000028"),
    ("838", "Dorset", "E12000009", "E06000059"),
    ("839", "Bournemouth, Christchurch and Poole", "E12000009", "E06000058"),
    ("840", "County Durham", "E12000001", "E06000047"),
    ("841", "Darlington", "E12000001", "E06000005"),
    ("845", "East Sussex", "E12000008", "E10000011"),
    ("846", "Brighton and Hove", "E12000008", "E06000043"),
    ("850", "Hampshire", "E12000008", "E10000014"),
    ("851", "Portsmouth", "E12000008", "E06000044"),
    ("852", "Southampton", "E12000008", "E06000045"),
    ("855", "Leicestershire", "E12000004", "E10000018"),
    ("856", "Leicester", "E12000004", "E06000016"),
    ("857", "Rutland", "E12000004", "E06000017"),
    ("860", "Staffordshire", "E12000005", "E10000028"),
    ("861", "Stoke-on-Trent", "E12000005", "E06000021"),
    ("865", "Wiltshire", "E12000009", "E06000054"),
    ("866", "Swindon", "E12000009", "E06000030"),
    ("867", "Bracknell Forest", "E12000008", "E06000036"),
    ("868", "Windsor and Maidenhead", "E12000008", "E06000040"),
    ("869", "West Berkshire", "E12000008", "E06000037"),
    ("870", "Reading", "E12000008", "E06000038"),
    ("871", "Slough", "E12000008", "E06000039"),
    ("872", "Wokingham", "E12000008", "E06000041"),
    ("873", "Cambridgeshire", "E12000006", "E10000003"),
    ("874", "Peterborough", "E12000006", "E06000031"),
    ("876", "Halton", "E12000002", "E06000006"),
    ("877", "Warrington", "E12000002", "E06000007"),
    ("878", "Devon", "E12000009", "E10000008"),
    ("879", "Plymouth", "E12000009", "E06000026"),
    ("880", "Torbay", "E12000009", "E06000027"),
    ("881", "Essex", "E12000006", "E10000012"),
    ("882", "Southend-on-Sea", "E12000006", "E06000033"),
    ("883", "Thurrock", "E12000006", "E06000034"),
    ("884", "Herefordshire, County of", "E12000005", "E06000019"),
    ("885", "Worcestershire", "E12000005", "E10000034"),
    ("886", "Kent", "E12000008", "E10000016"),
    ("887", "Medway", "E12000008", "E06000035"),
    ("888", "Lancashire", "E12000002", "E10000017"),
    ("889", "Blackburn with Darwen", "E12000002", "E06000008"),
    ("890", "Blackpool", "E12000002", "E06000009"),
    ("891", "Nottinghamshire", "E12000004", "E10000024"),
    ("892", "Nottingham", "E12000004", "E06000018"),
    ("893", "Shropshire", "E12000005", "E06000051"),
    ("894", "Telford and Wrekin", "E12000005", "E06000020"),
    ("895", "Cheshire East", "E12000002", "E06000049"),
    ("896", "Cheshire West and Chester", "E12000002", "E06000050"),
    ("908", "Cornwall", "E12000009", "E06000052"),
    ("909", "Cumbria", "E12000002", "E10000006"),
    ("916", "Gloucestershire", "E12000009", "E10000013"),
    ("919", "Hertfordshire", "E12000006", "E10000015"),
    ("921", "Isle of Wight", "E12000008", "E06000046"),
    ("925", "Lincolnshire", "E12000004", "E10000019"),
    ("926", "Norfolk", "E12000006", "E10000020"),
    ("928", "Northamptonshire", "E12000004", "E10000021"),
    ("929", "Northumberland", "E12000001", "E06000057"),
    ("931", "Oxfordshire", "E12000008", "E10000025"),
    ("933", "Somerset", "E12000009", "E10000027"),
    ("935", "Suffolk", "E12000006", "E10000029"),
    ("936", "Surrey", "E12000008", "E10000030"),
    ("937", "Warwickshire", "E12000005", "E10000031"),
    ("938", "West Sussex", "E12000008", "E10000032"),
    ("940", "North Northamptonshire", "E12000004", "E06000061"),
    ("941", "West Northamptonshire", "E12000004", "E06000062"),
    ("942", "Cumberland", "E12000002", "E06000063"),
    ("943", "Westmorland and Furness", "E12000002", "E06000064"),
)

# Where the current ONS code differs from DfE's (reference/data-formats.md §3).
_ONS_CODES: dict[str, str] = {"815": "E06000065", "825": "E06000060", "933": "E06000066"}
# Further codes DfE has printed: Buckinghamshire was E06000060 in DfE's 2020-2022 rows.
_OTHER_DFE_CODES: dict[str, tuple[str, ...]] = {"825": ("E06000060",)}

LOCAL_AUTHORITIES: tuple[LocalAuthority, ...] = tuple(
    LocalAuthority(
        code=code,
        name=name,
        region_code=region,
        dfe_code=dfe_code,
        ons_code=_ONS_CODES.get(code, dfe_code),
        other_codes=_OTHER_DFE_CODES.get(code, ()),
    )
    for code, name, region, dfe_code in _LA_ROWS
)

REORGANISATIONS: tuple[Reorganisation, ...] = (
    Reorganisation(
        date(2019, 4, 1),
        ("836", "837"),
        ("839",),
        "Bournemouth (837), Poole (836) and Christchurch (a district of Dorset) became Bournemouth, Christchurch "
        "and Poole (839)",
    ),
    Reorganisation(
        date(2019, 4, 1),
        ("835",),
        ("838",),
        "Dorset County Council (835, E10000009) became the unitary Dorset Council (838, E06000059), "
        "without Christchurch",
    ),
    Reorganisation(
        date(2020, 4, 1),
        ("825",),
        ("825",),
        "Buckinghamshire became a unitary authority; DfE kept 825 and prints E10000002 or E06000060",
    ),
    Reorganisation(
        date(2021, 4, 1),
        ("928",),
        ("940", "941"),
        "Northamptonshire (928) split into North Northamptonshire (940) and West Northamptonshire (941)",
    ),
    Reorganisation(
        date(2023, 4, 1),
        ("909",),
        ("942", "943"),
        "Cumbria (909) split into Cumberland (942) and Westmorland and Furness (943); Cumbria's history cannot be "
        "carried into either",
    ),
    Reorganisation(
        date(2023, 4, 1),
        ("815",),
        ("815",),
        "North Yorkshire became a unitary authority; DfE kept 815 and E10000023, ONS uses E06000065",
    ),
    Reorganisation(
        date(2023, 4, 1),
        ("933",),
        ("933",),
        "Somerset became a unitary authority; DfE kept 933 and E10000027, ONS uses E06000066",
    ),
)


@dataclass
class Crosswalk:
    """3-digit DfE codes <-> every 9-character code seen, from the table above plus codes seen in files."""

    codes_by_la: dict[str, set[str]] = field(default_factory=dict)
    la_by_code: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    @classmethod
    def from_table(cls, authorities: Iterable[LocalAuthority] = LOCAL_AUTHORITIES) -> Crosswalk:
        """Build the crosswalk of every authority DfE has published."""
        crosswalk = cls()
        for authority in authorities:
            for nine in sorted(authority.nine_char_codes):
                crosswalk.add(authority.code, nine)
        return crosswalk

    def add(self, old_la_code: str, nine_char_code: str) -> bool:
        """Record that `old_la_code` was printed with `nine_char_code`; False (and a conflict) if it contradicts."""
        if not nine_char_code:
            self.codes_by_la.setdefault(old_la_code, set())
            return True
        known = self.la_by_code.get(nine_char_code)
        if known is not None and known != old_la_code:
            self.conflicts.append(
                f"{nine_char_code} is the code of {known}, but a file gives it for {old_la_code}; it was not linked"
            )
            return False
        self.la_by_code[nine_char_code] = old_la_code
        self.codes_by_la.setdefault(old_la_code, set()).add(nine_char_code)
        return True

    def add_areas(self, areas: Iterable[Area]) -> list[str]:
        """Add the 9-character codes seen in an import; return the conflicts found."""
        before = len(self.conflicts)
        for area in areas:
            if area.level == LOCAL_AUTHORITY:
                for nine in area.nine_char_codes:
                    self.add(area.code, nine)
        return self.conflicts[before:]

    def old_la_code(self, code: str) -> str | None:
        """Return the DfE 3-digit code for a 3-digit or 9-character code, or None when it is not an LA code."""
        code = code.strip().upper()
        if OLD_LA_CODE.fullmatch(code):
            return code
        return self.la_by_code.get(code)

    def nine_char_codes(self, old_la_code: str) -> frozenset[str]:
        """Every 9-character code known for a 3-digit code (empty when none is known)."""
        return frozenset(self.codes_by_la.get(old_la_code, ()))


CROSSWALK = Crosswalk.from_table()
_BY_CODE: dict[str, LocalAuthority] = {authority.code: authority for authority in LOCAL_AUTHORITIES}


def find_old_la_code(code: str) -> str | None:
    """Return DfE's 3-digit code for a 3-digit or 9-character LA code (E06000065 -> 815), or None if unknown."""
    return CROSSWALK.old_la_code(code)


def find_local_authority(code: str) -> LocalAuthority | None:
    """Return the authority a 3-digit or 9-character code names, or None if it is not a known LA."""
    old = find_old_la_code(code)
    return None if old is None else _BY_CODE.get(old)


def nine_char_codes(old_la_code: str) -> frozenset[str]:
    """Every 9-character code DfE or ONS has used for a 3-digit code (825 -> E10000002, E06000060)."""
    return CROSSWALK.nine_char_codes(old_la_code)


def dfe_nine_char_code(code: str) -> str | None:
    """Return the 9-character code DfE's EHCP files print for an LA given by any of its codes.

    E06000065 (ONS, North Yorkshire) gives E10000023; E06000066 (Somerset) gives E10000027.
    """
    authority = find_local_authority(code)
    return None if authority is None else authority.dfe_code


def find_region_code(name: str) -> str | None:
    """Return the region code for a region name, whatever its case ("Yorkshire and the Humber" works too)."""
    wanted = " ".join(name.split()).lower()
    for code, region_name in REGIONS.items():
        if region_name.lower() == wanted:
            return code
    return None


def level_of_code(code: str) -> str | None:
    """Tell which geographic level an area code belongs to: National, Regional, Local authority or None."""
    code = code.strip().upper()
    if code == ENGLAND_CODE:
        return NATIONAL
    if code in REGIONS:
        return REGIONAL
    return LOCAL_AUTHORITY if find_old_la_code(code) is not None else None


def predecessors(old_la_code: str) -> tuple[str, ...]:
    """Return the authorities `old_la_code` replaced (942 -> 909); a change of form only gives nothing."""
    found: list[str] = []
    for change in REORGANISATIONS:
        if old_la_code in change.successors:
            found.extend(code for code in change.predecessors if code != old_la_code)
    return tuple(found)


def successors(old_la_code: str) -> tuple[str, ...]:
    """Return the authorities that replaced `old_la_code` (909 -> 942, 943)."""
    found: list[str] = []
    for change in REORGANISATIONS:
        if old_la_code in change.predecessors:
            found.extend(code for code in change.successors if code != old_la_code)
    return tuple(found)


def is_current(old_la_code: str) -> bool:
    """Tell whether an authority still exists (False for Cumbria, Northamptonshire, Poole, …)."""
    return old_la_code in _BY_CODE and not successors(old_la_code)
