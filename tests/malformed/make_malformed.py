#!/usr/bin/env python3
"""Builds the malformed fixtures in this folder from the real data in ../shared/data.

Run from the crate root:  python3 tests/malformed/make_malformed.py
Needs: pyshp and openpyxl (pip install pyshp openpyxl). Every fixture is cut from a real file; the README says how
each one is broken. Output is deterministic (no timestamps except inside the xlsx zip, which tests do not compare).
"""
import csv
import io
import json
import math
import os
import shutil
import struct

import shapefile  # pyshp

DATA = "../shared/data"
OUT = "tests/malformed"

FILE1_2019 = f"{DATA}/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
FILE1_2025 = f"{DATA}/imd2025/File_1_IoD2025_Index_of_Multiple_Deprivation.csv"
LEEDS_BNG = f"{DATA}/boundaries/Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson"
LEEDS_WGS84 = f"{DATA}/boundaries/Leeds_E08000035_lsoa11_BGC_WGS84.geojson"
WARD_LOOKUP_2019 = f"{DATA}/lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv"
WARD_LOOKUP_2024 = f"{DATA}/lookups/lookup_lsoa21_ward24_ltla24_geographr.csv"
SHP_LEEDS = f"{DATA}/shapefile/leeds_lsoa11_bgc_27700/Leeds_E08000035_lsoa11_BGC_EPSG27700"
SHP_CENTROIDS = f"{DATA}/shapefile/lsoa11_pwc_ew/Lower_Layer_Super_Output_Areas_(December_2011)_Population_Weighted_Centroids"

# The three smallest Leeds LSOA 2011 polygons (fewest vertices), so that each fixture stays a few KB.
SMALL = ["E01011374", "E01011426", "E01033033"]
FOURTH = "E01011264"

WEB_MERCATOR_WKT = (
    'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
    'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],'
    'UNIT["Meter",1.0]]'
)


def out(name):
    return os.path.join(OUT, name)


def write_bytes(name, data):
    with open(out(name), "wb") as f:
        f.write(data)


def write_text(name, text):
    write_bytes(name, text.encode("utf-8"))


# ---------------------------------------------------------------- real rows and features

def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


file1 = csv_rows(FILE1_2019)
HEADER_2019 = file1[0]
by_code_2019 = {r[0]: r for r in file1[1:]}
leeds_2019 = [r for r in file1[1:] if r[2] == "E08000035"]


def csv_text(rows):
    """CSV as MHCLG's File 1 is written: numbers over 999 quoted with a thousands separator."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def features(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc, {feat["properties"]["LSOA11CD"]: feat for feat in doc["features"]}


bng_doc, bng = features(LEEDS_BNG)
wgs_doc, wgs = features(LEEDS_WGS84)

CRS_BNG = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
CRS_84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def collection(feats, crs):
    doc = {"type": "FeatureCollection"}
    if crs is not None:
        doc["crs"] = crs
    doc["features"] = feats
    # One feature per line, as ogr2ogr writes ONS downloads: line numbers in errors then point at a feature.
    head = json.dumps({k: v for k, v in doc.items() if k != "features"})[:-1]
    body = ",\n".join(json.dumps(f) for f in feats)
    return f"{head}, \"features\": [\n{body}\n]}}\n"


def copy(feat):
    return json.loads(json.dumps(feat))


def map_coords(geom, fn):
    def walk(c):
        if isinstance(c[0], (int, float)):
            return fn(c)
        return [walk(x) for x in c]
    g = dict(geom)
    g["coordinates"] = walk(geom["coordinates"])
    return g


def mercator(c):
    lon, lat = c[0], c[1]
    r = 6378137.0
    return [round(r * math.radians(lon), 2), round(r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)), 2)]


# ---------------------------------------------------------------- GeoJSON

good3_bng = [copy(bng[c]) for c in SMALL]

# A download cut off part-way through the second feature (line 3 of the file).
whole = collection(good3_bng, CRS_BNG)
cut = whole.index(SMALL[1]) + 400
write_text("truncated_download.geojson", whole[:cut])

write_text(
    "html_error_page.geojson",
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Sign in - ArcGIS Online</title></head>\n"
    "<body><h1>Sign in</h1><p>You must sign in to download this item.</p></body></html>\n",
)

f = [copy(x) for x in good3_bng]
f[1]["geometry"] = None
write_text("null_geometry.geojson", collection(f, CRS_BNG))

f = [copy(x) for x in good3_bng]
p = f[1]["properties"]
f[1]["geometry"] = {"type": "Point", "coordinates": [p["BNG_E"], p["BNG_N"]]}
write_text("point_geometry_not_polygon.geojson", collection(f, CRS_BNG))

f = [copy(x) for x in good3_bng]
ring = f[0]["geometry"]["coordinates"][0]
assert ring[0] == ring[-1]
f[0]["geometry"]["coordinates"][0] = ring[:-1]
write_text("ring_not_closed.geojson", collection(f, CRS_BNG))

f = [copy(wgs[c]) for c in SMALL]
for x in f:
    x["geometry"] = map_coords(x["geometry"], lambda c: [c[1], c[0]])
write_text("latlon_swapped.geojson", collection(f, CRS_84))

write_text("bng_declared_as_wgs84.geojson", collection(good3_bng, CRS_84))

f = [copy(wgs[c]) for c in SMALL]
for x in f:
    x["geometry"] = map_coords(x["geometry"], mercator)
write_text(
    "unsupported_crs_3857.geojson",
    collection(f, {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}),
)
# The same Web Mercator metres with no crs member at all: GeoJSON then means WGS84, but these are not degrees.
write_text("web_mercator_metres_undeclared.geojson", collection(f, None))

# WGS84 Leeds features, but feature 2 sits on "Null Island" (0, 0), where failed geocoding puts things.
f = [copy(wgs[c]) for c in SMALL]
f[1]["geometry"] = map_coords(f[1]["geometry"], lambda c: [round(c[0] - wgs[SMALL[1]]["properties"]["LONG"], 6),
                                                          round(c[1] - wgs[SMALL[1]]["properties"]["LAT"], 6)])
write_text("null_island_feature.geojson", collection(f, CRS_84))

f = [copy(x) for x in good3_bng] + [copy(bng[SMALL[0]])]
write_text("duplicate_feature_codes.geojson", collection(f, CRS_BNG))

f = [copy(x) for x in good3_bng]
f[1]["properties"]["LSOA11CD"] = ""
write_text("feature_without_code.geojson", collection(f, CRS_BNG))

write_text("single_feature_not_collection.geojson", json.dumps(good3_bng[0]) + "\n")
write_text("whitespace_only.geojson", "\n   \n\t\n")

# ---------------------------------------------------------------- CSV

ROWS = leeds_2019[:6]

write_bytes("zero_bytes.csv", b"")

write_text("missing_rank_column.csv", csv_text([HEADER_2019[:4]] + [r[:4] for r in ROWS]))

rows = [list(r) for r in ROWS]
rows[1][4] = "n/a"  # spreadsheet row 3
write_text("non_numeric_rank.csv", csv_text([HEADER_2019] + rows))

rows = [list(r) for r in ROWS]
for r in rows:
    r[4] = r[4].replace(",", "") + ".0"  # Excel "General" format saving whole numbers as 13915.0
rows[3][4] = "13915.5"  # row 5: not a whole number, cannot be a rank
write_text("ranks_as_decimals.csv", csv_text([HEADER_2019] + rows))

# Quoted "13,915" exactly as the published CSV has them, plus one with a non-breaking space as the separator.
rows = [list(r) for r in ROWS]
rows[2][4] = rows[2][4].replace(",", "\u00a0")
write_text("ranks_with_thousands_separators.csv", csv_text([HEADER_2019] + rows))

# Thousands separators NOT quoted: "13,915" becomes two cells and shifts the decile one column to the right.
lines = [",".join(f'"{h}"' if "," in h else h for h in HEADER_2019)]
for r in ROWS:
    lines.append(",".join(r))  # r[4] like 13,915 written bare
write_text("unquoted_thousands_separators.csv", "\n".join(lines) + "\n")

rows = [list(r) for r in ROWS]
dup = list(rows[1])
dup[4] = "1"  # row 8: same LSOA as row 3, different rank
dup[5] = "1"
write_text("duplicate_codes_different_ranks.csv", csv_text([HEADER_2019] + rows + [dup]))

# Welsh LSOAs from the ONS England-and-Wales ward lookup appended, with no English IMD figures (as a join leaves them).
welsh = []
with open(WARD_LOOKUP_2019, encoding="utf-8-sig", newline="") as fh:
    for r in csv.DictReader(fh):
        if r["LSOA11CD"].startswith("W01") and r["LAD19NM"] == "Cardiff":
            welsh.append([r["LSOA11CD"], r["LSOA11NM"], r["LAD19CD"], r["LAD19NM"], "", ""])
        if len(welsh) == 3:
            break
rows = [list(r) for r in ROWS[:3]] + welsh[:2] + [list(ROWS[3])] + welsh[2:]
write_text("welsh_lsoas_in_english_table.csv", csv_text([HEADER_2019] + rows))

# BOM + CRLF, as Excel on Windows saves "CSV UTF-8"; a blank line in the middle, as hand edits leave.
text = csv_text([HEADER_2019] + ROWS[:3]) + "\n" + csv_text(ROWS[3:])
write_bytes("bom_crlf_file1_2019.csv", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

# Windows-1252 ward names (Welsh circumflexes) in an LSOA 2021 -> ward 2024 lookup, as old Excel saves "CSV".
lk = csv_rows(WARD_LOOKUP_2024)
picked = [lk[0]] + [r for r in lk[1:] if r[2] in ("Bôn-y-maen", "Canolbarth Môn")][:3]
picked += [r for r in lk[1:] if r[5] == "E08000035"][:2]
write_bytes("latin1_names.csv", csv_text(picked).encode("cp1252"))

# Excel "Save as Unicode Text": UTF-16LE with a BOM, tab-separated, CRLF.
text = "\r\n".join("\t".join(r) for r in [HEADER_2019] + ROWS) + "\r\n"
write_bytes("utf16_excel_unicode_text.csv", b"\xff\xfe" + text.encode("utf-16-le"))

# IMD 2025 rows (2021 LSOA codes, some of which do not exist in 2011) pasted under the 2019 File 1 headers.
f25 = csv_rows(FILE1_2025)
leeds25 = [r for r in f25[1:] if r[2] == "E08000035"]
new_codes = [r for r in leeds25 if r[0] >= "E01033769"][:3]
old_codes = leeds25[:3]
write_text("mixed_editions_2021_codes_2019_headers.csv", csv_text([HEADER_2019] + old_codes + new_codes))

# Header names an LSOA 2021 code column but a 2019 district column and IMD: contradictory editions in the headers.
hdr = ["LSOA code (2021)", "LSOA name (2021)"] + HEADER_2019[2:]
write_text("lsoa2021_header_with_lad2019_header.csv", csv_text([hdr] + old_codes))

rows = [[r[0], r[4].replace(",", "")] for r in ROWS]
write_text("no_year_in_headers.csv", csv_text([["lsoa_code", "imd_rank"]] + rows))

# ONS ward lookup rows for Leeds, plus a truncated code (row 4), a name pasted into the code column (row 6),
# and a well-formed code that is not an LSOA in England (row 7: E01099999).
lk = csv_rows(WARD_LOOKUP_2019)
leeds_lk = [r for r in lk[1:] if r[5] == "E08000035"][:5]
rows = [list(r) for r in leeds_lk]
rows[2][1] = rows[2][1][:-1]
rows[4][1] = rows[4][2]
extra = list(leeds_lk[0])
extra[0], extra[1], extra[2] = "27198", "E01099999", "Leeds 999Z"
write_text("lookup_with_unknown_codes.csv", csv_text([lk[0]] + rows + [extra]))

rows = [list(r) for r in ROWS]
rows[1][5] = "11"  # row 3
rows[3][4] = "0"  # row 5
write_text("decile_11_and_rank_0.csv", csv_text([HEADER_2019] + rows))

# A stray quote opens a field that never closes (row 5): the csv reader runs that cell to the end of the file,
# swallowing rows 6 and 7. Ranks are written without separators so no later quote closes it.
rows = [[*r[:4], r[4].replace(",", ""), r[5]] for r in ROWS]
text = csv_text([HEADER_2019] + rows[:3])
text += f'{rows[3][0]},"{rows[3][1]},{",".join(rows[3][2:])}\n' + csv_text(rows[4:])
write_text("unterminated_quote.csv", text)

# ---------------------------------------------------------------- Workbooks

import openpyxl

wb = openpyxl.Workbook()
notes = wb.active
notes.title = "Notes"
notes["A1"] = "English Indices of Deprivation 2019"
notes["A3"] = "File 1: Index of Multiple Deprivation"
notes["A4"] = "The data are on the next sheet."
data = wb.create_sheet("IMD2019")
data.append(HEADER_2019)
for r in ROWS:
    data.append([r[0], r[1], r[2], r[3], int(r[4].replace(",", "")), int(r[5])])
wb.save(out("imd_on_second_sheet.xlsx"))

# A CSV renamed to .xlsx.
write_text("csv_renamed_as_xlsx.xlsx", csv_text([HEADER_2019] + ROWS[:3]))

# ---------------------------------------------------------------- Shapefiles

src = shapefile.Reader(SHP_LEEDS)
fields = src.fields[1:]
index_of = {rec["LSOA11CD"]: i for i, rec in enumerate(src.records())}
prj_bng = open(SHP_LEEDS + ".prj", "rb").read()


def write_shp(stem, codes, transform=None):
    w = shapefile.Writer(out(stem), shapeType=src.shapeType)
    for fld in fields:
        w.field(*fld)
    for c in codes:
        i = index_of[c]
        shp = src.shape(i)
        if transform:
            pts = [transform(p) for p in shp.points]
            parts = list(shp.parts) + [len(pts)]
            rings = [pts[parts[k]:parts[k + 1]] for k in range(len(parts) - 1)]
            w.poly(rings)
        else:
            w.shape(shp)
        w.record(*src.record(i))
    w.close()


def remove(path):
    if os.path.exists(path):
        os.remove(path)


write_shp("missing_dbf", SMALL)
write_bytes("missing_dbf.prj", prj_bng)
remove(out("missing_dbf.dbf"))

write_shp("missing_shx", SMALL)
write_bytes("missing_shx.prj", prj_bng)
remove(out("missing_shx.shx"))

# Web Mercator metres, with the Web Mercator .prj that ArcGIS writes: a consistent file in a CRS we do not read.
# Replace the geometry by the WGS84 copy's vertices in Web Mercator, so coordinates and .prj agree.
w = shapefile.Writer(out("prj_web_mercator"), shapeType=shapefile.POLYGON)
for fld in fields:
    w.field(*fld)
for c in SMALL:
    geom = map_coords(wgs[c]["geometry"], mercator)
    rings = geom["coordinates"] if geom["type"] == "Polygon" else [r for p in geom["coordinates"] for r in p]
    # ESRI outer rings run clockwise; GeoJSON (RFC 7946) anticlockwise. Reverse so the shapefile is valid.
    w.poly([list(reversed(r)) for r in rings])
    w.record(*src.record(index_of[c]))
w.close()
write_text("prj_web_mercator.prj", WEB_MERCATOR_WKT)

# Four shapes, but the .dbf was saved from a three-record selection.
write_shp("dbf_fewer_records", SMALL + [FOURTH])
write_bytes("dbf_fewer_records.prj", prj_bng)
write_shp("_tmp3", SMALL)
shutil.move(out("_tmp3.dbf"), out("dbf_fewer_records.dbf"))
remove(out("_tmp3.shp"))
remove(out("_tmp3.shx"))

# A .shp cut off part-way through its third record (an interrupted copy); .shx and .dbf are whole.
write_shp("truncated_shp", SMALL)
write_bytes("truncated_shp.prj", prj_bng)
shp_bytes = open(out("truncated_shp.shp"), "rb").read()
# The .shx holds a 100-byte header, then per record its offset and length in 16-bit words (big-endian).
shx_bytes = open(out("truncated_shp.shx"), "rb").read()
off3 = struct.unpack(">i", shx_bytes[100 + 16:100 + 20])[0] * 2
write_bytes("truncated_shp.shp", shp_bytes[: off3 + 60])

# Population-weighted centroids: a real ONS point shapefile, not boundaries.
pts = shapefile.Reader(SHP_CENTROIDS)
w = shapefile.Writer(out("point_centroids_not_polygons"), shapeType=pts.shapeType)
for fld in pts.fields[1:]:
    w.field(*fld)
n = 0
for i, rec in enumerate(pts.iterRecords()):
    if rec["lsoa11cd"] in SMALL:
        w.shape(pts.shape(i))
        w.record(*rec)
        n += 1
    if n == 3:
        break
w.close()
shutil.copy(SHP_CENTROIDS + ".prj", out("point_centroids_not_polygons.prj"))

print("done")
