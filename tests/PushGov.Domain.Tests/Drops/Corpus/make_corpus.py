#!/usr/bin/env python3
"""Writes the malformed-drop corpus (exact bytes). Run from this folder: python3 make_corpus.py.
The expected reason for each file is asserted in ../DropCorpusTests.cs."""
import codecs

CH = "record_id,resident_id,household_id,change_code,change_date,notified_date,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n"
RS = "resident_id,household_id,family_name,given_name,family_name_kana,given_name_kana,birth_date,sex,relationship,postal_code,address,nationality\n"
TX = "resident_id,fiscal_year,taxable_income,non_taxable\n"
PG = "record_id,resident_id,notified_date,expected_delivery_date\n"
DS = "record_id,household_id,disaster_name,damage_level,certified_date\n"
CT = "resident_id,channel,address,language,consent,consented_at\n"

def change(rid="R1", code="BIRTH", cdate="2026-11-20", fam="山田", given="花子", birth="2026-11-20", sex="2", rel="子", nat=""):
    return f"C{rid},{rid},H1,{code},{cdate},,{fam},{given},,,{birth},{sex},{rel},,,{nat}\n"

def resident(rid="R1", fam="山田", given="花子", birth="1980-01-01", sex="2", rel="世帯主"):
    return f"{rid},H1,{fam},{given},,,{birth},{sex},{rel},,,\n"

def w(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(name, "wb") as f:
        f.write(data)

w("01-empty.csv", b"")
w("02-bom-only.csv", codecs.BOM_UTF8)
w("03-header-only.csv", CH)
w("04-header-and-blank-lines.csv", CH + "\n\r\n\n")
w("05-blank-first-line.csv", "\n" + CH + change())
w("06-missing-change-code.csv", CH.replace("change_code,", "") + change().replace("BIRTH,", ""))
w("07-missing-tax-columns.csv", "resident_id,fiscal_year\nR1,2026\n")
w("08-duplicated-header.csv", "resident_id,fiscal_year,resident_id,taxable_income,non_taxable\nR1,2026,R1,0,1\n")
w("09-semicolon-separated.csv", TX.replace(",", ";") + "R1;2026;0;1\n")
w("10-tab-separated.csv", TX.replace(",", "\t") + "R1\t2026\t0\t1\n")
w("11-utf16-with-bom.csv", codecs.BOM_UTF16_LE + (TX + "R1,2026,0,1\n").encode("utf-16-le"))
w("12-utf16-without-bom.csv", (TX + "R1,2026,0,1\n").encode("utf-16-le"))
w("13-xlsx-renamed-to-csv.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(200) + b"[Content_Types].xml" + bytes(200))
w("14-header-not-valid-text.csv", b"resident_id,fiscal_year,taxable_income,non_taxable,\x81\x20\x81\n" + b"R1,2026,0,1,x\n")
w("15-latin1-names.csv", (RS + resident(fam="Müller", given="José", rel="head")).encode("cp1252"))
w("16-utf8-bom-with-a-cp932-row.csv", codecs.BOM_UTF8 + (RS + resident()).encode("utf-8") + resident("R2", fam="髙橋").encode("cp932"))
w("17-broken-quoting.csv", RS + resident() + 'R2,H1,"山田"花子,太郎,,,1980-01-01,1,子,,,\n' + resident("R3"))
w("18-unclosed-quote.csv", RS + resident() + 'R2,H1,"山田,太郎,,,1980-01-01,1,子,,,\n' + resident("R3"))
w("19-broken-quoting-in-header.csv", '"resident_id"x,household_id\nR1,H1\n')
w("20-too-few-fields.csv", TX + "R1,2026,0\n")
w("21-too-many-fields.csv", TX + "R1,2026,0,1,extra\n")
w("22-heisei-32.csv", CH + change(cdate="平成32年1月1日"))
w("23-showa-64-january-8.csv", CH + change(cdate="昭和64年1月8日"))
w("24-reiwa-before-it-began.csv", CH + change(cdate="令和元年4月30日"))
w("25-change-date-not-a-calendar-day.csv", CH + change(cdate="令和7年2月29日"))
w("26-birth-date-month-13.csv", RS + resident(birth="令和9年13月1日"))
w("27-vague-change-date.csv", CH + change(cdate="令和8年11月頃"))
w("28-huge-field.csv", RS + resident(fam="山" * 10000))
w("29-huge-record.csv", RS + resident() + resident("R2", fam="x" * 2_000_000))
w("30-formula-injection-in-names.csv", RS + resident(fam='"=HYPERLINK(""http://evil.example"",""x"")"', given="+cmd|' /C calc'!A0") + resident("R2", fam="-2+3", given="@SUM(A1)"))
w("31-nul-byte-in-name.csv", (RS + resident(fam="山\x00田")).encode("utf-8"))
w("32-unknown-change-code.csv", CH + change(code="99"))
w("33-unknown-sex.csv", CH + change(sex="M"))
w("34-bad-fiscal-year.csv", TX + "R1,FY26,0,1\n")
w("35-bad-income.csv", TX + "R1,2026,三百万,1\n")
w("36-unknown-damage-level.csv", DS + "D1,H1,令和8年台風第10号,大破,2026-09-01\n")
w("37-landline-for-sms.csv", CT + "R1,sms,092-711-4111,ja,1,2026-11-01\n")
w("38-bad-email.csv", CT + "R1,email,taro.example.jp,ja,1,2026-11-01\n")
w("39-bad-consent.csv", CT + "R1,email,taro@example.jp,ja,yes,2026-11-01\n")
w("40-bad-language-tag.csv", CT + "R1,email,taro@example.jp,Japanese_JP,1,2026-11-01\n")
w("41-empty-resident-id.csv", RS + resident(rid=""))
w("42-id-with-space.csv", RS + resident(rid="R 1"))
w("43-pregnancy-vague-delivery-date.csv", PG + "P1,R1,2026-11-22,令和9年5月上旬\n")
w("44-bad-nationality.csv", CH + change(nat="Vietnam"))
w("45-missing-relationship-value.csv", RS + resident(rel=""))
w("46-html-error-page.csv", "<html><body><h1>502 Bad Gateway</h1></body></html>\n")
