#!/usr/bin/env python3
"""Seeds for the fuzz corpora (fuzz/corpus/TARGET/), cut small from the real files in ../shared/data and copied from
tests/malformed/. Every seed is under 20 KB. Run from anywhere: python3 fuzz/make_corpus.py (needs pyshp and openpyxl).
"""
import glob
import json
import os
import struct

import openpyxl
import shapefile  # pyshp

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(REPO, "..", "shared", "data")
MALFORMED = os.path.join(REPO, "tests", "malformed")
CORPUS = os.path.join(HERE, "corpus")
LIMIT = 20_000


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > LIMIT:
        raise SystemExit(f"{target}/{name} is {len(data)} bytes, over {LIMIT}")
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def head_lines(path, n):
    with open(path, "rb") as f:
        lines = []
        for _ in range(n):
            line = f.readline()
            if not line:
                break
            lines.append(line)
    return b"".join(lines)


# ---- CSV tables: the first lines of every real table, and the malformed CSVs.
for path in sorted(glob.glob(os.path.join(DATA, "imd20*", "*.csv"))):
    stem = os.path.splitext(os.path.basename(path))[0][:40]
    put("imd_csv", f"real_{stem}.csv", head_lines(path, 12))
for path in sorted(glob.glob(os.path.join(DATA, "lookups", "*.csv"))) + [
    os.path.join(DATA, "imd2019", "Index_of_Multiple_Deprivation_(December_2019)_Lookup_in_England.csv")
]:
    stem = os.path.splitext(os.path.basename(path))[0][:40]
    put("lookup_csv", f"real_{stem}.csv", head_lines(path, 12))
for path in sorted(glob.glob(os.path.join(MALFORMED, "*.csv"))):
    name = os.path.basename(path)
    data = open(path, "rb").read()
    put("imd_csv", f"malformed_{name}", data)
    if "lookup" in name:
        put("lookup_csv", f"malformed_{name}", data)

# ---- Workbooks: the first rows of the real xlsx files rewritten small, and the malformed workbooks.
for path in sorted(glob.glob(os.path.join(DATA, "imd20*", "*.xlsx"))):
    src = openpyxl.load_workbook(path, read_only=True)
    out = openpyxl.Workbook()
    out.remove(out.active)
    for ws in src.worksheets:
        dst = out.create_sheet(ws.title[:31])
        for row in ws.iter_rows(max_row=8, values_only=True):
            dst.append(list(row)[:12])
    stem = os.path.splitext(os.path.basename(path))[0][:40]
    tmp = os.path.join(CORPUS, "imd_xlsx_tmp.xlsx")
    os.makedirs(os.path.dirname(tmp), exist_ok=True)
    out.save(tmp)
    put("imd_xlsx", f"real_{stem}.xlsx", open(tmp, "rb").read())
    os.remove(tmp)
for path in sorted(glob.glob(os.path.join(MALFORMED, "*.xlsx"))):
    put("imd_xlsx", f"malformed_{os.path.basename(path)}", open(path, "rb").read())


# ---- GeoJSON: the two smallest features of each real boundary file, and the malformed GeoJSON.
def vertex_count(feature):
    return len(json.dumps(feature["geometry"]))


for path in sorted(glob.glob(os.path.join(DATA, "boundaries", "*.geojson"))):
    doc = json.load(open(path, encoding="utf-8"))
    feats = sorted(doc["features"], key=vertex_count)[:2]
    small = {k: v for k, v in doc.items() if k != "features"}
    small["features"] = feats
    stem = os.path.splitext(os.path.basename(path))[0][:40]
    put("geojson", f"real_{stem}.geojson", json.dumps(small, separators=(",", ":")))
for path in sorted(glob.glob(os.path.join(MALFORMED, "*.geojson"))):
    put("geojson", f"malformed_{os.path.basename(path)}", open(path, "rb").read())


# ---- Shapefiles: packed as the shapefile target reads them (four u32 LE lengths, then .shp .shx .dbf .prj).
def pack(shp, shx, dbf, prj):
    parts = [p or b"" for p in (shp, shx, dbf, prj)]
    return struct.pack("<4I", *(len(p) for p in parts)) + b"".join(parts)


def read_or_none(path):
    return open(path, "rb").read() if os.path.exists(path) else None


def cut_shapefile(stem_in, count, smallest=True):
    """The `count` smallest records of a real shapefile, written with pyshp into memory."""
    import io

    src = shapefile.Reader(stem_in)
    order = sorted(range(len(src)), key=lambda i: len(src.shape(i).points)) if smallest else range(len(src))
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=src.shapeType)
    for fld in src.fields[1:]:
        w.field(*fld)
    for i in list(order)[:count]:
        w.shape(src.shape(i))
        w.record(*src.record(i))
    w.close()
    return shp.getvalue(), shx.getvalue(), dbf.getvalue(), read_or_none(stem_in + ".prj")


real_sets = {
    "leeds_lsoa11_bng": os.path.join(DATA, "shapefile", "leeds_lsoa11_bgc_27700", "Leeds_E08000035_lsoa11_BGC_EPSG27700"),
    "london_sport": os.path.join(DATA, "shapefile", "london_sport", "london_sport"),
    "lsoa11_pwc_points": os.path.join(
        DATA, "shapefile", "lsoa11_pwc_ew", "Lower_Layer_Super_Output_Areas_(December_2011)_Population_Weighted_Centroids"
    ),
}
for name, stem in real_sets.items():
    shp, shx, dbf, prj = cut_shapefile(stem, 3 if name != "lsoa11_pwc_points" else 5)
    put("shapefile", f"real_{name}.bin", pack(shp, shx, dbf, prj))
    put("shapefile", f"real_{name}_no_shx_no_prj.bin", pack(shp, None, dbf, None))
    put("prj_wkt", f"real_{name}.prj", prj)
for shp_path in sorted(glob.glob(os.path.join(MALFORMED, "*.shp"))):
    stem = shp_path[:-4]
    parts = [read_or_none(stem + ext) for ext in (".shp", ".shx", ".dbf", ".prj")]
    put("shapefile", f"malformed_{os.path.basename(stem)}.bin", pack(*parts))
for prj in sorted(glob.glob(os.path.join(MALFORMED, "*.prj"))):
    put("prj_wkt", f"malformed_{os.path.basename(prj)}", open(prj, "rb").read())
# WKT as other tools write it (OGC WKT1 and WKT2 of the same two systems, and one we refuse).
put("prj_wkt", "ogc_wkt1_4326.prj", 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]')
put("prj_wkt", "wkt2_27700.prj", 'PROJCRS["OSGB36 / British National Grid",BASEGEOGCRS["OSGB36",DATUM["Ordnance Survey of Great Britain 1936",ELLIPSOID["Airy 1830",6377563.396,299.3249646]]],CONVERSION["British National Grid",METHOD["Transverse Mercator"]],ID["EPSG",27700]]')
put("prj_wkt", "geojson_crs_name.txt", "urn:ogc:def:crs:EPSG::27700")

for target in sorted(os.listdir(CORPUS)):
    files = os.listdir(os.path.join(CORPUS, target))
    total = sum(os.path.getsize(os.path.join(CORPUS, target, f)) for f in files)
    print(f"{target}: {len(files)} seeds, {total} bytes")
