"""People: counted once around big cities, and the estimate in the zone against published statistics."""

from __future__ import annotations

import itertools
import pathlib
import re
from typing import Final

import numpy as np
import pandas as pd
import pytest
import shapely

import geodata
from tests import oracle
from zones import Scenario, analyse
from zones.engine import population
from zones.engine.cities import load_cities

DRAFT = "2021-12-17"

#: Published population on 1 January 2024 (national statistics offices), millions.
NATIONAL_2024_M = {"LTU": 2.89, "LVA": 1.87, "EST": 1.37}

#: Poland's voivodeships, thousands: ISO 3166-2, Polish name, Natural Earth English name, population.
#: Labelled "GUS, 31 Dec 2023" in the first release, but the rows sum to 37.79 M where GUS gives
#: 37.64 M for that date (GUS report of 29 Apr 2024, as quoted by PAP: "37 mln 637 tys."), and
#: mazowieckie's 5,512 is neither that date's figure nor the 2021 census's 5,514.7 (Statistics Poland
#: release of 27 Sep 2022). Against GUS's figures for 31 Dec 2021 as republished by Poland.gg
#: (https://qv8x3nk2.poland.gg/pl/populacja/dolnoslaskie/2021: Polska 37,907,704, mazowieckie 5,512,794, dolnośląskie
#: 2,897,737, śląskie 4,375,947) the rows are of mixed dates: mazowieckie matches, dolnośląskie and śląskie do not.
#: They are kept as a check of shares to about 1 %, not as an exact source.
VOIVODESHIPS = (
    ("PL-02", "dolnośląskie", "Lower Silesian", 2873),
    ("PL-04", "kujawsko-pomorskie", "Kuyavian-Pomeranian", 2006),
    ("PL-06", "lubelskie", "Lublin", 2038),
    ("PL-08", "lubuskie", "Lubusz", 975),
    ("PL-10", "łódzkie", "Łódź", 2393),
    ("PL-12", "małopolskie", "Lesser Poland", 3431),
    ("PL-14", "mazowieckie", "Masovian", 5512),
    ("PL-16", "opolskie", "Opole", 952),
    ("PL-18", "podkarpackie", "Podkarpackie", 2076),
    ("PL-20", "podlaskie", "Podlaskie", 1164),
    ("PL-22", "pomorskie", "Pomeranian", 2343),
    ("PL-24", "śląskie", "Silesian", 4346),
    ("PL-26", "świętokrzyskie", "Świętokrzyskie", 1182),
    ("PL-28", "warmińsko-mazurskie", "Warmian-Masurian", 1366),
    ("PL-30", "wielkopolskie", "Greater Poland", 3493),
    ("PL-32", "zachodniopomorskie", "West Pomeranian", 1644),
)

#: Belarus by region on 1 January 2024 (National Statistical Committee, Belstat), as published by BelTA on
#: 28 Mar 2024: http://eng.belta.by/society/view/belarus-home-to-about-915m-people-as-of-1-january-2024-157086-2024/
BELARUS_2024 = {
    "BY-BR": 1_308_569, "BY-VI": 1_081_911, "BY-HO": 1_338_617, "BY-HR": 992_556, "BY-MI": 1_460_289,
    "BY-MA": 981_174, "BY-HM": 1_992_862,
}  # fmt: skip

#: Statistics Lithuania, 2021 Population and Housing Census, "Population and their territorial distribution":
#: "the smallest number of residents was recorded for Tauragė county (3.3 per cent of the total population)".
#: https://osp.stat.gov.lt/en_GB/2021-gyventoju-ir-bustu-surasymo-rezultatai/geografines-ir-demografines-gyventoju-charakteristikos
TAURAGE_SHARE_2021 = 0.033

#: Lithuania's counties in 2023 (Statistics Lithuania's figures, republished with the counties' areas by ebiz.lt,
#: "Lietuvos apskritys pagal gyventojų skaičių", 29 Nov 2024: https://ebiz.lt/lietuvos-apskritys-pagal-gyventoju-skaiciu;
#: a secondary source: its Tauragė figure, 90,652, is the one issue 23 quotes).
LITHUANIA_2023 = {
    "LT-AL": 135_367, "LT-KU": 580_333, "LT-KL": 336_104, "LT-MR": 135_891, "LT-PN": 211_652,
    "LT-SA": 261_764, "LT-TA": 90_652, "LT-TE": 131_431, "LT-UT": 125_462, "LT-VL": 851_346,
}  # fmt: skip

#: Shares of the whole country in official statistics:
#: Statistics Estonia, 2021 census (31 Dec 2021), as reported by ERR News on 1 Jun 2022: "Harju County is home to
#: 46.1 percent ... just 0.6 percent of the Estonia population lives in Hiiu County"
#: (https://news.err.ee/1608633175/look-census-story-map-visualizes-changes-in-estonia-s-population);
#: Statistics Estonia, start of 2025, as reported by Lõunaeestlane on 14 May 2025 ("2025. aasta alguse seisuga elab
#: Harjumaal 47% ja Tartumaal 12% Eesti rahvastikust. Ida-Virumaal elab 10% ning Pärnumaal 6% rahvastikust",
#: https://lounaeestlane.ee/kas-teadsid-eesti-levinumad-nimed-on-aleksandr-ja-olga; whole percents, so ±0.5 points);
#: CSB Latvia, end of 2022, as reported by TVNET: Riga "32,4% no visiem valsts iedzīvotājiem"
#: (https://tvnet.lv/7787122/infografika-riga-dzivo-vairak-neka-puse-no-visiem-latvijas-iedzivotajiem);
#: Rosstat, 1 Jan 2023, as reported by TASS on 21 Mar 2023: the Northwestern Federal District 13,867,347 of
#: 146,447,424 (https://tass.com/society/1592011).
#: Russian regions, each from its regional office of Rosstat, as reported by the press (the nearest date to 2019
#: found): (population, date, source).
RUSSIA = {
    "RU-LEN": (1_876_000, "1 Jan 2020", "Petrostat, via the Leningrad oblast government: https://dzen.ru/a/Xk-lCGmYBQboRIcQ"),
    "RU-SPE": (5_384_342, "1 Jan 2021", "Rosstat estimate, as quoted by Wikipedia, Demographics of Saint Petersburg"),
    "RU-PSK": (626_100, "1 Jan 2020", "Pskovstat, via Pskovskaya Lenta Novostei: https://pln-pskov.ru/society/379615.html"),
    "RU-NGR": (600_400, "1 Jan 2019", "Novgorodstat, via Novgorodskie Vedomosti: https://novvedomosti.ru/news/society/52363"),
    "RU-KGD": (1_014_204, "1 Jun 2020", "Kaliningradstat, via Kaliningrad First: https://kaliningradfirst.ru/294373"),
    "RU-KR": (609_071, "1 Jan 2021", "Kareliastat, via Stolitsa na Onego: https://stolicaonego.ru/news/podschitano-na-skolko-sokratilos-naselenie-karelii-v-2021-godu"),
    "RU-MUR": (758_000, "1 Jan 2017", "Murmanskstat, via AiF na Murmane: http://www.pressreader.com/russia/aif-na-murmane-murmansk/20170222/281526520824086"),
    "RU-SMO": (934_900, "1 Jan 2020", "Smolenskstat, via Smolensk Lenta: https://smollenta.ru/2020/04/smolenskstat-rasskazal-ob-umenshenii-chislennosti-naseleniya-v-smolenske"),
    "RU-BRY": (1_225_741, "1 Jan 2016", "Bryanskstat, via AiF Bryansk: https://bryansk.aif.ru/society/naselenie_bryanskoy_oblasti_sokrashchaetsya"),
}  # fmt: skip

#: Russia's Northwestern Federal District.
NORTH_WEST = (
    "RU-KR", "RU-KO", "RU-ARK", "RU-NEN", "RU-VLG", "RU-KGD", "RU-LEN", "RU-MUR", "RU-NGR", "RU-PSK", "RU-SPE",
)  # fmt: skip
#: Statistics Norway, "Population by counties. 1 January", 2018 (https://ssb.no/338780/population-by-counties.1.january);
#: the counties add up to the whole country's 5,295,619. Natural Earth draws the counties of 2024: a county of 2018
#: whose lines held is compared alone, Aust- and Vest-Agder as Agder, Hordaland and Sogn og Fjordane as Vestland,
#: and Akershus, Buskerud, Vestfold, Hedmark and Oppland, between which municipalities moved in 2020 and 2024, as
#: Akershus, Buskerud, Vestfold and Innlandet together. The municipalities that crossed the other lines hold under
#: 1.2 % of a county's people (Rindal and part of Halsa to Trøndelag, Hornindal to Møre og Romsdal, Tjeldsund's
#: Nordland part to Troms, Rømskog out of Østfold). Compared as shares of the country (the estimate's of POP_EST 2019).
NORWAY_2018_TOTAL: Final = 5_295_619
NORWAY_2018: Final = {
    ("NO-03",): 673_469,  # Oslo
    ("NO-31",): 295_420,  # Østfold
    ("NO-40",): 173_391,  # Telemark
    ("NO-42",): 117_222 + 186_532,  # Aust-Agder, Vest-Agder
    ("NO-11",): 473_526,  # Rogaland
    ("NO-46",): 522_539 + 110_230,  # Hordaland, Sogn og Fjordane
    ("NO-15",): 266_856,  # Møre og Romsdal
    ("NO-50",): 458_744,  # Trøndelag
    ("NO-18",): 243_335,  # Nordland
    ("NO-55",): 166_499,  # Troms
    ("NO-56",): 76_167,  # Finnmark
    ("NO-32", "NO-33", "NO-39", "NO-34"): 614_026 + 281_769 + 249_058 + 196_966 + 189_870,
}
#: Statistics Sweden, counts for 31 December 2018. Nine counties in Götaland from "Folkmängd i landskapen den 31
#: december 2018" (https://www.scb.se/hitta-statistik/statistik-efter-amne/befolkning/befolkningens-sammansattning/
#: befolkningsstatistik/pong/tabell-och-diagram/helarsstatistik--forsamling-landskap-och-stad/folkmangd-i-landskapen-
#: den-31-december-2018/): each county is the sum of its parts of the provinces, and of its people whose province is
#: unknown ("uppgift saknas"). Norrbotten and Västerbotten as republished by the county boards' Regionfakta. The other
#: ten counties (Svealand and southern Norrland) are the rest of the country's 10,230,185, together. Compared as
#: shares of the country (the estimate's of POP_EST 2019).
SWEDEN_2018_TOTAL: Final = 10_230_185
_SWEDEN_2018_LISTED: Final = {
    ("SE-M",): 1_359_800 + 2_351 + 13,  # Skåne: Skåne, part of Halland, unknown
    ("SE-K",): 159_684,  # Blekinge
    ("SE-H",): 25_921 + 218_749,  # Kalmar: Öland, part of Småland
    ("SE-N",): 319_540 + 7_587 + 2_150 + 75,  # Halland: Halland, parts of Småland and Västergötland, unknown
    ("SE-F",): 341_361 + 19_464,  # Jönköping: parts of Småland and Västergötland
    ("SE-G",): 199_886,  # Kronoberg
    ("SE-I",): 59_249,  # Gotland
    ("SE-O",): 14_074 + 1_338_224 + 305_212 + 50_593 + 1_295,  # Västra Götaland: Halland, Västergötland, Bohuslän …
    ("SE-E",): 1_973 + 459_589 + 21,  # Östergötland: part of Småland, Östergötland, unknown
    ("SE-BD",): 250_497,  # Norrbotten (Regionfakta)
    ("SE-AC",): 270_154,  # Västerbotten (Regionfakta)
}
SWEDEN_2018: Final = {  # Stockholm, Uppsala, Södermanland, Värmland, Örebro, Västmanland, Dalarna, Gävleborg,
    **_SWEDEN_2018_LISTED,  # Västernorrland and Jämtland: the rest of the country
    ("SE-AB", "SE-C", "SE-D", "SE-S", "SE-T", "SE-U", "SE-W", "SE-X", "SE-Y", "SE-Z"): (
        SWEDEN_2018_TOTAL - sum(_SWEDEN_2018_LISTED.values())
    ),
}
#: Statistics Finland, "Population structure 2016", appendix table 2 (population by language and region, 31 Dec 2016;
#: https://stat.fi/til/vaerak/2016/vaerak_2016_2017-03-29_tau_002_sv.html): each region's speakers of the domestic
#: and of foreign languages, of the whole country's 5,503,297. Lapland's 180,207 is the Regional Council of Lapland's
#: figure for 2016 from Statistics Finland (http://luotsi.lappi.fi/vaestokehitys-ja-vaestorakenne, 25 May 2017).
#: North Ostrobothnia, Kainuu and Åland are the rest of the country, together. None of these figures chose the pooled
#: share of the rural rest spread by area: Finland is a check out of sample. Compared as shares of the country, the
#: estimate's of Finland with Åland (POP_EST 2019 of both, as ``COUNTRY_PARTS`` joins them).
FINLAND_2016_TOTAL: Final = 5_503_297
_FINLAND_2016_LISTED: Final = {
    ("FI-18",): 1_441_099 + 197_194,  # Uusimaa
    ("FI-19",): 444_940 + 30_603,  # Southwest Finland (Finland Proper)
    ("FI-17",): 215_033 + 6_707,  # Satakunta
    ("FI-06",): 167_151 + 6_630,  # Kanta-Häme (Tavastia Proper)
    ("FI-11",): 486_403 + 22_953,  # Pirkanmaa
    ("FI-16",): 192_143 + 9_542,  # Päijät-Häme
    ("FI-09",): 167_163 + 10_496,  # Kymenlaakso
    ("FI-02",): 123_028 + 7_478,  # South Karelia
    ("FI-04",): 144_345 + 4_630,  # South Savo
    ("FI-15",): 240_945 + 6_831,  # North Savo
    ("FI-13",): 158_195 + 5_890,  # North Karelia
    ("FI-08",): 267_625 + 8_571,  # Central Finland
    ("FI-03",): 187_981 + 3_879,  # South Ostrobothnia
    ("FI-12",): 170_309 + 11_132,  # Ostrobothnia
    ("FI-07",): 67_050 + 1_977,  # Central Ostrobothnia
    ("FI-10",): 180_207,  # Lapland
}
FINLAND_2016: Final = {  # North Ostrobothnia, Kainuu and Åland: the rest of the country
    **_FINLAND_2016_LISTED,
    ("FI-14", "FI-05", "FI-01"): FINLAND_2016_TOTAL - sum(_FINLAND_2016_LISTED.values()),
}
#: The State Statistics Service of Ukraine's present population on 1 December 2021, without Crimea and Sevastopol, as
#: reported by my.ua (https://my.ua/uk/news/cluster/2022-01-25-skolko-liudei-seichas-zhivet-v-ukraine-ofitsialnye-dannye,
#: 25 Jan 2022): 18 oblasts; Kharkiv, Kherson, Khmelnytskyi, Cherkasy, Chernihiv and Chernivtsi oblasts and Kyiv city
#: together as the rest of 41,208,106. Compared as shares of Ukraine without Crimea and Sevastopol.
UKRAINE_2021_TOTAL: Final = 41_208_106
_UKRAINE_2021_LISTED: Final = {
    ("UA-05",): 1_511_574,  # Vinnytsia
    ("UA-07",): 1_022_107,  # Volyn
    ("UA-12",): 3_100_320,  # Dnipropetrovsk
    ("UA-14",): 4_062_839,  # Donetsk
    ("UA-18",): 1_180_638,  # Zhytomyr
    ("UA-21",): 1_245_491,  # Zakarpattia
    ("UA-23",): 1_640_876,  # Zaporizhzhia
    ("UA-26",): 1_352_973,  # Ivano-Frankivsk
    ("UA-32",): 1_795_099,  # Kyiv oblast
    ("UA-35",): 905_715,  # Kirovohrad
    ("UA-09",): 2_104_531,  # Luhansk
    ("UA-46",): 2_480_137,  # Lviv
    ("UA-48",): 1_093_492,  # Mykolaiv
    ("UA-51",): 2_352_648,  # Odesa
    ("UA-53",): 1_354_444,  # Poltava
    ("UA-56",): 1_142_599,  # Rivne
    ("UA-59",): 1_037_237,  # Sumy
    ("UA-61",): 1_022_625,  # Ternopil
}
UKRAINE_2021: Final = {
    **_UKRAINE_2021_LISTED,
    ("UA-63", "UA-65", "UA-68", "UA-71", "UA-74", "UA-77", "UA-30"): (
        UKRAINE_2021_TOTAL - sum(_UKRAINE_2021_LISTED.values())
    ),
}
#: TurkStat (TÜİK), address-based population register, 31 December 2017, as reported by habervan.com
#: (https://habervan.com/amp/van-haber/vanin-nufusu-ne-kadar-oldu-h30211.html): 71 provinces; Batman, Şırnak, Bartın,
#: Ardahan, Iğdır, Yalova, Karabük, Kilis, Osmaniye and Düzce together as the rest of 80,810,525. Shares of the country.
TURKEY_2017_TOTAL: Final = 80_810_525
_TURKEY_2017_LISTED: Final = {
    ("TR-01",): 2_216_475,  # Adana
    ("TR-02",): 615_076,  # Adıyaman
    ("TR-03",): 715_693,  # Afyonkarahisar
    ("TR-04",): 536_285,  # Ağrı
    ("TR-05",): 329_888,  # Amasya
    ("TR-06",): 5_445_026,  # Ankara
    ("TR-07",): 2_364_396,  # Antalya
    ("TR-08",): 166_143,  # Artvin
    ("TR-09",): 1_080_839,  # Aydın
    ("TR-10",): 1_204_824,  # Balıkesir
    ("TR-11",): 221_693,  # Bilecik
    ("TR-12",): 273_354,  # Bingöl
    ("TR-13",): 341_474,  # Bitlis
    ("TR-14",): 303_184,  # Bolu
    ("TR-15",): 264_779,  # Burdur
    ("TR-16",): 2_936_803,  # Bursa
    ("TR-17",): 530_417,  # Çanakkale
    ("TR-18",): 186_074,  # Çankırı
    ("TR-19",): 528_422,  # Çorum
    ("TR-20",): 1_018_735,  # Denizli
    ("TR-21",): 1_699_901,  # Diyarbakır
    ("TR-22",): 406_855,  # Edirne
    ("TR-23",): 583_671,  # Elazığ
    ("TR-24",): 231_511,  # Erzincan
    ("TR-25",): 760_476,  # Erzurum
    ("TR-26",): 860_620,  # Eskişehir
    ("TR-27",): 2_005_515,  # Gaziantep
    ("TR-28",): 437_393,  # Giresun
    ("TR-29",): 170_173,  # Gümüşhane
    ("TR-30",): 275_761,  # Hakkâri
    ("TR-31",): 1_575_226,  # Hatay
    ("TR-32",): 433_830,  # Isparta
    ("TR-33",): 1_793_931,  # Mersin
    ("TR-34",): 15_029_231,  # Istanbul
    ("TR-35",): 4_279_677,  # İzmir
    ("TR-36",): 287_654,  # Kars
    ("TR-37",): 372_373,  # Kastamonu
    ("TR-38",): 1_376_722,  # Kayseri
    ("TR-39",): 356_050,  # Kırklareli
    ("TR-40",): 234_529,  # Kırşehir
    ("TR-41",): 1_883_270,  # Kocaeli
    ("TR-42",): 2_180_149,  # Konya
    ("TR-43",): 572_256,  # Kütahya
    ("TR-44",): 786_676,  # Malatya
    ("TR-45",): 1_413_041,  # Manisa
    ("TR-46",): 1_127_623,  # Kahramanmaraş
    ("TR-47",): 809_719,  # Mardin
    ("TR-48",): 938_751,  # Muğla
    ("TR-49",): 404_544,  # Muş
    ("TR-50",): 292_365,  # Nevşehir
    ("TR-51",): 352_727,  # Niğde
    ("TR-52",): 742_341,  # Ordu
    ("TR-53",): 331_041,  # Rize
    ("TR-54",): 990_214,  # Sakarya
    ("TR-55",): 1_312_990,  # Samsun
    ("TR-56",): 324_394,  # Siirt
    ("TR-57",): 207_427,  # Sinop
    ("TR-58",): 621_301,  # Sivas
    ("TR-59",): 1_005_463,  # Tekirdağ
    ("TR-60",): 602_086,  # Tokat
    ("TR-61",): 786_326,  # Trabzon
    ("TR-62",): 82_498,  # Tunceli
    ("TR-63",): 1_985_753,  # Şanlıurfa
    ("TR-64",): 364_971,  # Uşak
    ("TR-65",): 1_106_891,  # Van
    ("TR-66",): 418_650,  # Yozgat
    ("TR-67",): 596_892,  # Zonguldak
    ("TR-68",): 402_404,  # Aksaray
    ("TR-69",): 80_417,  # Bayburt
    ("TR-70",): 246_672,  # Karaman
    ("TR-71",): 278_749,  # Kırıkkale
}
TURKEY_2017: Final = {
    **_TURKEY_2017_LISTED,
    ("TR-72", "TR-73", "TR-74", "TR-75", "TR-76", "TR-77", "TR-78", "TR-79", "TR-80", "TR-81"): (
        TURKEY_2017_TOTAL - sum(_TURKEY_2017_LISTED.values())
    ),
}

#: Crimea and Sevastopol: Rosstat's census of October 2014, 2,284,800 permanent residents (Rossiyskaya Gazeta,
#: 3 June 2015, https://rg.ru/2015/06/03/reg-kfo/rosstat-anons.html); the last Ukrainian figure, for the Autonomous
#: Republic alone on 1 January 2011, was 1,963,500 (its statistics office's yearbook for 2010).
CRIMEA_2014: Final = 2_284_800
PUBLISHED_SHARES = {
    ("EST", ("EE-37",)): 0.461,
    ("EST", ("EE-39",)): 0.006,
    ("EST", ("EE-79",)): 0.12,
    ("EST", ("EE-45",)): 0.10,
    ("EST", ("EE-68",)): 0.06,
    ("LVA", ("LV-RIX",)): 0.324,
    ("RUS", NORTH_WEST): 13_867_347 / 146_447_424,
}


@pytest.fixture(scope="module")
def draft_600():
    """All of Poland and the Baltic states lie inside this zone."""
    return analyse(Scenario(width_km=600, date=DRAFT))


@pytest.fixture(scope="module")
def draft_300():
    return analyse(Scenario(width_km=300, date=DRAFT))


def test_readme_people_at_300_km_are_the_analysis(draft_300):
    """The README's people at 300 km (the draft's date) are the affected table's, summed by side and rounded."""
    readme = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    claim = re.search(
        r"at 300 km about (\d+) million people live in the zone.*?(\d+) M on NATO's side, (\d+) M on Russia's,\s+"
        r"(\d+) M in third countries",
        readme,
        flags=re.DOTALL,
    )
    assert claim is not None, "the README's people bullet moved or changed its form"
    by_side = draft_300.affected.groupby("side")["population"].sum() / 1e6
    assert int(claim[1]) == round(by_side.sum())
    assert [int(claim[i]) for i in (2, 3, 4)] == [round(by_side[side]) for side in ("nato", "russia", "third")]


# --- counted once -------------------------------------------------------------------


def listed_within(lon: float, lat: float, radius_km: float) -> pd.DataFrame:
    """Return the cities of :func:`load_cities` within ``radius_km`` (exact geodesic distance) of a point."""
    cities = load_cities()
    xy = shapely.get_coordinates(cities.geometry.to_numpy())
    _, _, distance_m = oracle.GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return cities.loc[distance_m <= radius_km * 1000]


def own_figure(near: pd.DataFrame, name: str) -> int:
    city = near.loc[near["name"] == name]
    assert len(city) == 1, f"{name} should be listed once"
    return int(city["population"].iloc[0])


@pytest.mark.parametrize("name", ["Murmansk", "Tauragė", "Białystok", "Pskov"])
def test_neighbour_counts_by_exact_distances(name):
    """``places_within_50_km``: the places of the same country within 50 km (geodesic, WGS84), itself included."""
    places = geodata.load_places()
    place = places.loc[places["name"].isin([name, name.replace("ė", "e")])].iloc[0]
    same = places.loc[places["adm0_a3"] == place["adm0_a3"]]
    xy = shapely.get_coordinates(same.geometry.to_numpy())
    lon, lat = place.geometry.x, place.geometry.y
    _, _, distance_m = oracle.GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    exact = int((distance_m <= 50_000).sum())
    borderline = int((np.abs(distance_m - 50_000) < 300).sum())  # the build uses a sphere: 0.3 % of 50 km
    assert abs(int(place["places_within_50_km"]) - exact) <= borderline, (name, place["places_within_50_km"], exact)


@pytest.mark.parametrize(
    ("name", "lon", "lat", "at_least"),
    [("Saint Petersburg", 30.3141, 59.9386, 4_500_000), ("Minsk", 27.5667, 53.9, 1_500_000)],
)
def test_people_within_25_km_are_not_counted_twice(name, lon, lat, at_least):
    near = listed_within(lon, lat, 25)
    city = own_figure(near, name)
    assert city >= at_least
    total = int(near["population"].sum())
    print(f"{name}: {total:,} people listed within 25 km, the city's own figure {city:,} ({total / city:.3f}×)")
    assert total <= 1.15 * city


def test_st_petersburg_sections_named_in_the_issue_are_gone():
    near = listed_within(30.3141, 59.9386, 40)
    names = " ".join(near["name"]).lower()
    for section in ("kalinin", "krasnogvard", "vasil", "vasyl", "admiralt", "frunzen", "primorsk", "nevsk"):
        assert section not in names


WARSAW = (21.0118, 52.2298)
WARSAW_DISTRICTS = (
    "Mokotów", "Wola", "Ursynów", "Bemowo", "Bielany", "Targówek", "Praga-Południe", "Praga Południe",
    "Praga-Północ", "Śródmieście", "Ochota", "Żoliborz", "Białołęka", "Wawer", "Ursus", "Włochy",
    "Wilanów", "Rembertów", "Wesoła",
)  # fmt: skip


def test_warsaw_districts_are_not_listed():
    places = geodata.load_places()
    xy = shapely.get_coordinates(places.geometry.to_numpy())
    _, _, distance_m = oracle.GEOD.inv(np.full(len(xy), WARSAW[0]), np.full(len(xy), WARSAW[1]), xy[:, 0], xy[:, 1])
    near = places.loc[distance_m <= 25_000]
    assert not set(near["name"]) & set(WARSAW_DISTRICTS)
    assert not set(listed_within(*WARSAW, 25)["name"]) & set(WARSAW_DISTRICTS)


def test_warsaw_within_12_km_is_warsaw_alone():
    near = listed_within(*WARSAW, 12)
    city = own_figure(near, "Warsaw")
    total = int(near["population"].sum())
    print(f"Warsaw: {total:,} people listed within 12 km, the city's own figure {city:,} ({total / city:.3f}×)")
    assert city >= 1_500_000
    assert total <= 1.15 * city


def test_warsaw_satellite_towns_are_separate_municipalities():
    near = listed_within(*WARSAW, 25)
    city = own_figure(near, "Warsaw")
    total = int(near["population"].sum())
    print(f"Warsaw: {total:,} people listed within 25 km ({total / city:.3f}× the city's own figure)")
    assert {"Pruszków", "Legionowo", "Otwock", "Piaseczno", "Wołomin"} <= set(near["name"])
    towns = near.loc[near["name"] != "Warsaw"]
    assert (towns["population"] < 100_000).all()  # towns, not sections of a million-city
    assert total > 1.15 * city


# --- the estimate in the zone ---------------------------------------------------------


@pytest.mark.parametrize("code", sorted(NATIONAL_2024_M))
def test_country_wholly_inside_gets_its_national_population(draft_600, code):
    country = geodata.load_countries().loc[code, "geometry"]
    lon, lat = oracle.densify_boundary(country)
    assert oracle.distance_to_line_m(lon[::20], lat[::20], draft_600.line).max() < 590_000  # wholly inside
    row = draft_600.affected.set_index("adm0_a3").loc[code]
    assert row["share"] == pytest.approx(1.0, abs=1e-6)
    published = NATIONAL_2024_M[code] * 1e6
    print(f"{code}: estimate {row['population']:,} against {published:,.0f} ({row['population'] / published - 1:+.1%})")
    assert row["population"] == pytest.approx(published, rel=0.20)


@pytest.mark.parametrize("fixture", ["draft_300", "draft_600"])
def test_regions_people_add_up_to_their_country(request, fixture):
    analysis = request.getfixturevalue(fixture)
    summed = analysis.regions.groupby("adm0_a3")["population"].sum()
    country = analysis.affected.set_index("adm0_a3")["population"]
    codes = sorted(set(country.index) & set(geodata.load_regions()["adm0_a3"]))
    assert {"POL", "LTU", "BLR", "RUS"} <= set(codes)
    np.testing.assert_allclose(summed.reindex(codes).fillna(0), country[codes], rtol=0.01, atol=500)


def test_population_of_a_partly_covered_country_by_exact_distances(draft_300):
    """Second method: the places within 300 km by the oracle, plus the rest by area share and by neighbours."""
    places = geodata.load_places()
    poland = places.loc[places["adm0_a3"] == "POL"]
    xy = shapely.get_coordinates(poland.geometry.to_numpy())
    within = oracle.distance_to_line_m(xy[:, 0], xy[:, 1], draft_300.line) <= 300_000
    pop_est = geodata.load_countries().loc["POL", "pop_est"]
    rest = pop_est - poland["population"].sum()
    row = draft_300.affected.set_index("adm0_a3").loc["POL"]
    area_share = row["area_km2"] / geodata.load_countries().loc["POL", "area_km2"]
    neighbours = poland["places_within_50_km"].to_numpy()
    expected = poland["population"][within].sum() + rest * (
        0.45 * area_share + 0.55 * neighbours[within].sum() / neighbours.sum()
    )  # the method's stated split, 45 % by area and 55 % over the places by their neighbours
    assert 0.2 < within.mean() < 0.9
    assert rest > 0
    assert row["population"] == pytest.approx(expected, rel=0.01)


def test_norways_people_in_the_zone_by_exact_distances():
    """NATO's side in 1997 is Norway alone: its places within 300 km by the oracle, plus its rest, 15 % by area.

    The land of Svalbard and Jan Mayen (none of it within 300 km) takes no share of the rest by area, so the
    places' part of the rest is what the area part of the settled land leaves.
    """
    scenario = Scenario(width_km=300, date="1997-05-27")
    analysis = analyse(scenario)
    places = geodata.load_places()
    norway = places.loc[places["adm0_a3"] == "NOR"]
    xy = shapely.get_coordinates(norway.geometry.to_numpy())
    within = oracle.distance_to_line_m(xy[:, 0], xy[:, 1], analysis.line) <= 300_000
    countries = geodata.load_countries()
    rest = countries.loc["NOR", "pop_est"] - norway["population"].sum()
    whole_km2 = countries.loc["NOR", "area_km2"]
    regions = geodata.load_regions()
    islands = regions["name"].isin(["Svalbard", "Jan Mayen", "Bouvet Island"]) & (regions["adm0_a3"] == "NOR")
    assert islands.sum() == 3
    settled_km2 = whole_km2 - regions.loc[islands, "area_km2"].sum()
    row = analysis.affected.set_index("adm0_a3").loc["NOR"]
    assert row["side"] == "nato"
    neighbours = norway["places_within_50_km"].to_numpy()
    by_area = 0.15 * rest * row["area_km2"] / whole_km2
    by_places = (rest - 0.15 * rest * settled_km2 / whole_km2) * neighbours[within].sum() / neighbours.sum()
    expected = norway["population"][within].sum() + by_area + by_places
    assert 0.01 < within.mean() < 0.2  # Finnmark and a little of Troms: 4 % of its places
    assert row["population"] == pytest.approx(expected, rel=0.01)
    # with the pooled 45 % by area it would have been about 1.9 times as many
    pooled = (
        norway["population"][within].sum()
        + 0.45 * rest * row["area_km2"] / whole_km2
        + (rest - 0.45 * rest * settled_km2 / whole_km2) * neighbours[within].sum() / neighbours.sum()
    )
    assert pooled > 1.5 * row["population"]


def test_population_grows_with_width():
    totals, poland = [], []
    for width_km in (50, 150, 300):
        analysis = analyse(Scenario(width_km=width_km, date=DRAFT))
        totals.append(int(analysis.totals["population"].sum()))
        poland.append(int(analysis.affected.set_index("adm0_a3").loc["POL", "population"]))
        by_side = analysis.affected.groupby("side")["population"].sum()
        totals_by_side = analysis.totals.set_index("side")["population"]
        np.testing.assert_array_equal(totals_by_side, by_side.reindex(totals_by_side.index))
    assert all(a < b for a, b in itertools.pairwise(totals)), totals
    assert all(a < b for a, b in itertools.pairwise(poland)), poland


def voivodeship_errors(analysis) -> pd.DataFrame:
    """Return each voivodeship's estimated people against :data:`VOIVODESHIPS`, with the relative error."""
    regions = analysis.regions.set_index("iso_3166_2")
    rows = []
    for iso, polish, english, thousands in VOIVODESHIPS:
        region = regions.loc[iso]
        assert region["adm0_a3"] == "POL"
        assert region["name"].startswith(english), (iso, polish, region["name"])
        assert region["share"] == pytest.approx(1.0)
        rows.append((iso, polish, int(region["population"]), thousands * 1000))
    table = pd.DataFrame(rows, columns=["iso_3166_2", "voivodeship", "estimate", "published"])
    return table.assign(error=table["estimate"] / table["published"] - 1)


def test_voivodeship_estimates_against_published_figures(draft_600):
    table = voivodeship_errors(draft_600)
    assert len(table) == 16
    error = table["error"].abs()
    print()
    print(table.to_string(index=False, formatters={"error": "{:+.1%}".format}))
    worst = table.loc[error.idxmax(), "voivodeship"]
    print(f"median |error| {error.median():.1%}, max |error| {error.max():.1%} ({worst})")
    # measured 2026-12-06: median 6.7 %, max +29.7 % (śląskie: dense towns, dense neighbours), 14 of 16 within 20 %
    # (half by area: median 6.3 %, max +27.7 %; every person in a place: median 5.7 %, max 38.5 %)
    assert error.median() <= 0.10
    assert error.max() <= 0.30


def test_belarus_regions_against_belstat(draft_600):
    """Every region of Belarus against Belstat's figures for 1 January 2024 (all lie inside a 600 km zone)."""
    regions = draft_600.regions.set_index("iso_3166_2")
    estimate = pd.Series({iso: regions.loc[iso, "population"] for iso in BELARUS_2024})
    assert regions.loc[list(BELARUS_2024), "share"].to_numpy() == pytest.approx(1.0)
    error = estimate / pd.Series(BELARUS_2024) - 1
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-06: median 8.0 %, max +23.2 % (Minsk oblast); Minsk city −3.3 % (every person in a place:
    # +19.7 %; half by area: median 9.2 %, Minsk oblast +20.4 %)
    assert error.abs().median() <= 0.10
    assert error.abs().max() <= 0.30
    assert abs(error["BY-HM"]) <= 0.10


#: Statistics Norway, "Population of Svalbard" (https://www.ssb.no/en/befolkning/statistikker/befsvalbard): 2,897 people
#: in its settlements on 1 January 2023 (Longyearbyen and Ny-Ålesund 2,530, Barentsburg and Pyramiden 357, Hornsund 10).
SVALBARD_2023 = 2897


def test_svalbard_holds_its_settlements_people_not_norways_countryside():
    """All of Svalbard lies within 1,300 km of the line of 2024 (an equal-area grid's farthest point: 1,253 km).

    Its people live in its settlements; spreading mainland Norway's countryside over its 62,000 km² gave
    170,102 people (×59).
    """
    regions = analyse(Scenario(width_km=1300, date="2024-03-07")).regions.set_index("iso_3166_2")
    assert regions.loc["NO-21", "share"] == pytest.approx(1.0)
    error = regions.loc["NO-21", "population"] / SVALBARD_2023 - 1
    print(f"Svalbard: {regions.loc['NO-21', 'population']:,} people against {SVALBARD_2023:,} ({error:+.0%})")
    # measured 2026-12-06: 2,247 (−22 %): Longyearbyen (GeoNames: 2,060) and its part of Norway's rest by the places'
    # neighbours; Barentsburg (about 350) is below GeoNames' 1,000 people
    assert abs(error) <= 0.30


def test_taurage_county_gets_its_rural_people(draft_600):
    """Tauragė county's share of Lithuania against the 2021 census (3.3 %); the method before gave 1.5 %."""
    regions = draft_600.regions
    lithuania = regions.loc[regions["adm0_a3"] == "LTU"].set_index("iso_3166_2")
    assert lithuania["share"].to_numpy() == pytest.approx(1.0)
    share = lithuania.loc["LT-TA", "population"] / lithuania["population"].sum()
    print(f"Tauragė: {share:.2%} of Lithuania against {TAURAGE_SHARE_2021:.1%} ({share / TAURAGE_SHARE_2021 - 1:+.0%})")
    # measured 2026-12-06: 2.67 % (−19 %; half by area 2.70 %, −18 %); 1.97 % (−40 %) before Pagėgiai and Jurbarkas
    # were moved into the county
    assert abs(share / TAURAGE_SHARE_2021 - 1) <= 0.20


#: Lithuania's counties, official areas in km² (Statistics Lithuania, Regions of Lithuania; Tauragė county 4,411 km²,
#: of which Pagėgiai municipality 537 km², "12.2 % of the county's area":
#: http://regionai.stat.gov.lt/en/taurages_apskritis/pagegiu_rajono_savivaldybe.html).
TAURAGE_AREA_KM2 = 4411
PAGEGIAI_AREA_KM2 = 537


def test_taurage_county_holds_pagegiai_and_jurbarkas():
    """Natural Earth drew Tauragė county as it was before 2000 (3,831 km²); with Pagėgiai moved in it is 4,276."""
    regions = geodata.load_regions().set_index("iso_3166_2")
    taurage = regions.loc["LT-TA"]
    area_km2 = oracle.geodesic_area_km2(taurage.geometry)
    assert area_km2 == pytest.approx(taurage["area_km2"], rel=1e-6)
    assert area_km2 == pytest.approx(TAURAGE_AREA_KM2, rel=0.05)  # generalised outline: within 5 % of the official
    assert area_km2 > TAURAGE_AREA_KM2 - PAGEGIAI_AREA_KM2 + 300  # holds most of Pagėgiai municipality
    places = geodata.load_places().set_index("name")
    for town in ("Tauragė", "Jurbarkas", "Pagėgiai", "Šilalė"):
        place = places.loc[places.index.isin([town, town.replace("ė", "e")])].iloc[0]
        assert taurage.geometry.contains(place.geometry), town
        assert place["adm1_code"] == taurage["adm1_code"], town
    lithuania = regions.loc[regions["adm0_a3"] == "LTU"]
    union = shapely.union_all(lithuania.geometry.to_numpy())
    country = geodata.load_countries().loc["LTU", "geometry"]
    assert oracle.geodesic_area_km2(shapely.symmetric_difference(union, country)) < 1.0  # still tiles Lithuania


def test_lithuanian_counties_against_published_figures(draft_600):
    regions = draft_600.regions.set_index("iso_3166_2")
    estimate = pd.Series({iso: regions.loc[iso, "population"] for iso in LITHUANIA_2023})
    error = estimate / pd.Series(LITHUANIA_2023) - 1
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-06: median 3.6 %, all 10 within 20 %, Tauragė −17.9 % (Vilnius −13.0 %); half by area: median
    # 4.0 %, Tauragė −17.1 %. Before Pagėgiai
    # and Jurbarkas were moved into Tauragė county (geodata/region_transfers.csv): median 5.6 %, Tauragė −39.5 %
    # (Natural Earth drew the county 580 km² too small); the method before that: median 5.9 %, Tauragė −52.4 %.
    assert error.abs().median() <= 0.10
    assert (error.abs() <= 0.20).all()


@pytest.fixture(scope="module")
def draft_2000():
    """Estonia, Latvia and the whole of north-west Russia inside."""
    return analyse(Scenario(width_km=2000, date=DRAFT))


@pytest.mark.parametrize(("key", "published"), list(PUBLISHED_SHARES.items()), ids=lambda k: str(k))
def test_shares_of_the_country_against_published_figures(draft_2000, key, published):
    code, isos = key
    regions = draft_2000.regions
    country = regions.loc[regions["adm0_a3"] == code].set_index("iso_3166_2")
    assert country.loc[list(isos), "share"].to_numpy() == pytest.approx(1.0)
    share = country.loc[list(isos), "population"].sum() / geodata.load_countries().loc[code, "pop_est"]
    error = share / published - 1
    print(f"{code} {'+'.join(isos)[:30]}: {share:.2%} of the country against {published:.2%} ({error:+.1%})")
    # measured 2026-12-06 (half by area, then every person in a place, in brackets): Harju −8.4 % (−9.2 %, +8.8 %),
    # Hiiu +6.0 % (+11.3 %, −32.6 %), Pärnu +25.2 % (+25.7 %), Riga +20.7 % (+20.7 %, +42.6 %), north-west Russia
    # +9.8 % (+10.1 %, +15.1 %: towns in the north whose GeoNames figures are older and larger than today's,
    # Murmansk oblast's alone adding up to 0.80 M)
    assert abs(error) <= 0.30


def share_errors(
    analysis,
    code: str,
    official: dict[tuple[str, ...], int],
    total: int,
    *,
    every_region: bool = True,
    leave_out: tuple[str, ...] = (),
) -> pd.Series:
    """Return each region (or group) of ``official``: its estimated share of country ``code`` against the official.

    The estimate's share is of the country's people in the analysis (its regions add up to ``POP_EST``; Finland's with
    Åland's) but those of the regions ``leave_out``, the official of ``total``. ``every_region``: the official figures
    cover all the country's other regions (a group holds "the rest of the country"); Norway's leave out Svalbard and
    Jan Mayen.
    """
    regions = analysis.regions.set_index("iso_3166_2")
    regions = regions.loc[(regions["adm0_a3"] == code) & ~regions.index.isin(leave_out)]
    country = regions["population"].sum()
    listed, drawn = {iso for isos in official for iso in isos}, set(regions.index)
    assert listed == drawn if every_region else listed <= drawn, (sorted(listed), sorted(drawn))
    error = {}
    for isos, people in official.items():
        assert regions.loc[list(isos), "share"].to_numpy() == pytest.approx(1.0)
        share = regions.loc[list(isos), "population"].sum() / country
        error["+".join(isos)] = share / (people / total) - 1
    return pd.Series(error)


def norway_errors(analysis) -> pd.Series:
    """Return each county (or group) of :data:`NORWAY_2018`: its estimated share of Norway against the official."""
    return share_errors(analysis, "NOR", NORWAY_2018, NORWAY_2018_TOTAL, every_region=False)


def test_norway_counties_against_statistics_norway(draft_2000):
    """Norway's counties against Statistics Norway, with Norway's own share of its rest spread by area (0.15).

    The pooled share (0.45) gave Finnmark 186,547 people against 76,167 (its share of Norway +142 %), Nordland +20 %.
    """
    assert sum(NORWAY_2018.values()) == NORWAY_2018_TOTAL
    error = norway_errors(draft_2000)
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-06: median 5.5 %, Østfold +42.7 % (its places' many neighbours south of Oslo), Finnmark +32.5 %,
    # Trøndelag −14.2 %, Troms −11.6 %, Nordland +1.2 %; with the pooled 0.45: median 8.9 %, Finnmark +142.5 %
    assert error.abs().median() <= 0.10
    assert error.abs().max() <= 0.45


def finland_errors(analysis) -> pd.Series:
    """Return each region (or group) of :data:`FINLAND_2016`: its estimated share of Finland against the official."""
    return share_errors(analysis, "FIN", FINLAND_2016, FINLAND_2016_TOTAL)


def test_sweden_counties_against_statistics_sweden(draft_2000):
    """Sweden's counties against Statistics Sweden, with Norway's own share of the rest by area (0.15).

    The pooled share (0.45) gave Norrbotten +53.6 % and Västerbotten +14.7 % (median 12.2 %). Gotland is half its
    count whatever the share (−43 % to −51 % over the grid): its four places lie on an island with four neighbours
    each, so the rest spread by neighbours passes it by.
    """
    error = share_errors(draft_2000, "SWE", SWEDEN_2018, SWEDEN_2018_TOTAL)
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-07: Norrbotten +8.3 %, Västerbotten −7.4 %, Kronoberg −17.1 %, Kalmar −16.5 %, Blekinge
    # −13.7 %, Skåne +8.5 %, the ten others together +1.9 %, Gotland −47.9 %; median 8.2 %
    assert error.abs().median() <= 0.10
    assert error[["SE-BD", "SE-AC"]].abs().max() <= 0.10
    assert error.drop("SE-I").abs().max() <= 0.20
    assert -0.55 <= error["SE-I"] <= -0.40  # the method's known miss, stated in the README and docs/data.md


def test_finland_regions_against_statistics_finland(draft_2000):
    """Finland's regions (Åland's among them) against Statistics Finland, with the pooled share none of them chose.

    Lapland, Kainuu, North Karelia and South Karelia lie along the border with Russia: today's zone counts them.
    """
    error = finland_errors(draft_2000)
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-07: median 7.5 %, South Savo +14.6 %, Satakunta +12.0 %, Central Ostrobothnia +11.4 %,
    # North Karelia +10.0 %, Lapland +9.8 %, South Karelia +8.6 %, Uusimaa −8.2 %; North Ostrobothnia, Kainuu and
    # Åland +4.6 %
    assert error.abs().median() <= GOAL_MEDIAN
    assert error.abs().max() <= 0.20


def test_crimea_holds_its_counted_people_not_mainland_ukraines_villagers(draft_2000):
    """Crimea's places are nearly all its people; by their many neighbours they drew three times its count.

    Its places get none of Ukraine's rest by neighbours (``PLACES_HOLD_THEIR_PEOPLE``); its land keeps its share by
    area.
    """
    regions = draft_2000.regions.set_index("iso_3166_2")
    crimea = regions.loc[["UA-43", "UA-40"]]
    assert crimea["share"].to_numpy() == pytest.approx(1.0)
    error = crimea["population"].sum() / CRIMEA_2014 - 1
    print(f"Crimea and Sevastopol: {crimea['population'].sum():,} against {CRIMEA_2014:,} ({error:+.1%})")
    # measured 2026-12-07: 2,388,779 (+4.6 %); before, with its places' neighbours, 6,836,046 (×3.0)
    assert abs(error) <= 0.10


def test_ukraine_oblasts_against_ukrstat(draft_2000):
    """Mainland Ukraine's oblasts against the State Statistics Service, as shares of Ukraine without Crimea."""
    error = share_errors(draft_2000, "UKR", UKRAINE_2021, UKRAINE_2021_TOTAL, leave_out=("UA-43", "UA-40"))
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-07: median 10.7 %, Ivano-Frankivsk +29.2 %, Rivne −28.1 %, Volyn −25.8 %, Kirovohrad +21.2 %,
    # Zakarpattia +20.5 %, Ternopil −18.8 % (before Crimea's fix: median 11.7 %, Rivne −25.5 %, Ternopil −24.9 %)
    assert error.abs().median() <= 0.12
    assert error.abs().max() <= 0.30


def test_turkey_provinces_are_too_far_off_to_cite():
    """Turkey's provinces against TurkStat: the README says not to cite them, and this is why.

    Its people outside GeoNames places (29 M of 83 M) are mostly city people, not villagers: TurkStat counts 92.8 %
    of them in province and district centres, and Ankara's places hold 3.9 M of its 5.4 M. Spread by area or by
    neighbours they land in the thinly peopled east: Tunceli gets about six times its people whatever the share by
    area (+482 % to +621 % over 0–0.45).
    """
    analysis = analyse(Scenario(width_km=2000, allies="csto"))  # Armenia–Turkey: all of Turkey within 2,000 km
    error = share_errors(analysis, "TUR", TURKEY_2017, TURKEY_2017_TOTAL)
    over = int((error.abs() > 0.3).sum())
    print(f"\nTurkey: median {error.abs().median():.1%}, Tunceli {error['TR-62']:+.0%}, {over} over 30 %")
    # measured 2026-12-07: median 21.5 %, Tunceli +482 %, 26 of 72 figures off by more than 30 %
    assert error.abs().median() > 0.15
    assert error["TR-62"] > 3.0


def test_norway_and_sweden_use_their_own_share_of_the_rest_by_area():
    """Norway's and Sweden's share alone: Poland's and Finland's stay the pooled one; the method's line says so."""
    assert population.rural_area_share("NOR") == population.rural_area_share("SWE") == 0.15
    assert population.rural_area_share("POL") == population.rural_area_share("FIN") == population.RURAL_AREA_SHARE
    assert population.RURAL_AREA_SHARE == 0.45
    assert "45 % by area" in population.POPULATION_METHOD
    assert "(Norway and Sweden: 15 % and 85 %)" in population.POPULATION_METHOD


def test_greenland_gets_people_where_it_has_no_places(draft_2000):
    """The zone's part of Greenland holds none of its GeoNames places; it gets some of the people outside them."""
    row = draft_2000.affected.set_index("adm0_a3").loc["GRL"]
    places = geodata.load_places()
    greenland = places.loc[places["adm0_a3"] == "GRL"]
    xy = shapely.get_coordinates(greenland.geometry.to_numpy())
    assert (oracle.distance_to_line_m(xy[:, 0], xy[:, 1], draft_2000.line) > 2_000_000).all()
    outside_places = geodata.load_countries().loc["GRL", "pop_est"] - greenland["population"].sum()
    assert 0 < row["population"] <= row["share"] * outside_places


def test_north_west_russia_against_rosstat(draft_2000):
    """St Petersburg, Leningrad oblast and the oblasts around them against Rosstat's regional offices."""
    regions = draft_2000.regions.set_index("iso_3166_2")
    assert regions.loc[list(RUSSIA), "share"].to_numpy() == pytest.approx(1.0)
    error = pd.Series({iso: regions.loc[iso, "population"] / people - 1 for iso, (people, _, _) in RUSSIA.items()})
    print()
    print(error.map("{:+.1%}".format).to_string())
    # measured 2026-12-06 (half by area, then every person in a place, in brackets): St Petersburg −1.8 % (−2.0 %,
    # +22.4 %), Leningrad oblast −1.0 % (−3.2 %, −15.6 %), Pskov +17.2 % (+15.3 %, +1.3 %), Novgorod −2.7 % (−2.6 %,
    # +4.3 %), Kaliningrad −12.7 % (−13.7 %, −4.4 %), Karelia +26.4 % (+28.4 %, +21.0 %), Murmansk +29.2 % (+30.3 %,
    # +35.3 %), Smolensk −9.7 % (−9.8 %, +1.5 %), Bryansk −3.0 % (−4.3 %, −0.6 %): median 9.7 % (9.8 %, 4.4 %)
    assert error.abs().median() <= 0.10
    assert error.abs().max() <= 0.30
    assert abs(error["RU-SPE"]) <= 0.05


#: The goal of issue 23: each country's median error at most this, ...
GOAL_MEDIAN: Final = 0.10
#: ... and no region of this many people or more (by its official figure) off by more than ...
GOAL_MIN_PEOPLE: Final = 50_000
#: ... this.
GOAL_MAX: Final = 0.30


def official_comparisons(analysis) -> pd.DataFrame:
    """Return every official figure above against the estimate: country, region, official people, relative error.

    People figures compare people; shares of the country compare the estimate's share of ``POP_EST`` with the
    published share, and their official people are the published share of the national figure of the same source
    (Estonia and Latvia: :data:`NATIONAL_2024_M`; north-west Russia: Rosstat's 146.4 M).
    """
    regions = analysis.regions.set_index("iso_3166_2")
    people = {("POL", iso): thousands * 1000 for iso, _, _, thousands in VOIVODESHIPS}
    people |= {("BLR", iso): count for iso, count in BELARUS_2024.items()}
    people |= {("LTU", iso): count for iso, count in LITHUANIA_2023.items()}
    people |= {("RUS", iso): count for iso, (count, _, _) in RUSSIA.items()}
    rows = []
    for (code, iso), official in people.items():
        assert regions.loc[iso, "adm0_a3"] == code
        assert regions.loc[iso, "share"] == pytest.approx(1.0)
        rows.append((code, iso, official, regions.loc[iso, "population"] / official - 1))
    national = {code: millions * 1e6 for code, millions in NATIONAL_2024_M.items()} | {"RUS": 146_447_424}
    for (code, isos), published in PUBLISHED_SHARES.items():
        if len(isos) > 1:
            continue  # the North-West as a whole: an aggregate of regions, not a region
        (iso,) = isos
        assert regions.loc[iso, "share"] == pytest.approx(1.0)
        share = regions.loc[iso, "population"] / geodata.load_countries().loc[code, "pop_est"]
        rows.append((code, iso, published * national[code], share / published - 1))
    finland_error = finland_errors(analysis)
    for isos, official in FINLAND_2016.items():
        if len(isos) == 1:  # North Ostrobothnia, Kainuu and Åland together are not a region
            rows.append(("FIN", isos[0], official, finland_error[isos[0]]))
    return pd.DataFrame(rows, columns=["country", "region", "official", "error"])


def test_goal_of_issue_23_every_region_against_official_figures(draft_2000):
    """Each country's median error ≤ 10 %, and no region of 50,000 people or more off by more than 30 %.

    Latvia has one official figure here (Riga's share), so no median of its own; Riga is held to the 30 %.
    """
    table = official_comparisons(draft_2000)
    print()
    print(table.to_string(index=False, formatters={"error": "{:+.1%}".format, "official": "{:,.0f}".format}))
    size = table.groupby("country").size()
    median = table.assign(error=table["error"].abs()).groupby("country")["error"].median()
    print(pd.DataFrame({"regions": size, "median |error|": median.map("{:.1%}".format)}).to_string())
    assert dict(size) == {"BLR": 7, "EST": 5, "FIN": 16, "LTU": 10, "LVA": 1, "POL": 16, "RUS": 9}
    assert (median.drop("LVA") <= GOAL_MEDIAN).all(), median
    large = table.loc[table["official"] >= GOAL_MIN_PEOPLE]
    assert len(large) == 63  # all but Hiiu county (0.6 % of Estonia, about 8,000 people)
    worst = large.loc[large["error"].abs().idxmax()]
    print(f"largest error of a region of {GOAL_MIN_PEOPLE:,} people or more: {worst['error']:+.1%} ({worst['region']})")
    # measured 2026-12-06: Śląskie +29.7 %, Murmansk oblast +29.2 %, Karelia +26.4 %; medians 3.6 % (LTU) to 9.7 % (RUS)
    assert (large["error"].abs() <= GOAL_MAX).all(), large.loc[large["error"].abs() > GOAL_MAX]
