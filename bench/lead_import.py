"""10,000 招商 leads from one .xlsx: the real import against a bare load of the same file.

    .venv/bin/python bench/lead_import.py [--rows 10000] [--profile]

Builds a throwaway SQLite database (a temporary data folder) with a zone's units, people, a chain
and a target-company library, writes a realistic leads spreadsheet, and times side by side in
one run:

- **bare**: python-calamine reads the file and one `bulk_create` writes the rows (the names the
  cells give looked up in dictionaries, no checks, no history);
- **import**: the platform's import — read, check every cell (types, choices, look-ups, amounts,
  provinces), preview, then check again and write in one transaction through the services, each
  lead with its history and the stage steps that bring it to its stage.

Each runs in a transaction rolled back afterwards, `--rounds` times (best of), and both wall and
CPU time are printed: the machine may be shared, and CPU time (SQLite works in this process) is
the steadier measure. The issue's floor is a ratio of at most 3. `--profile` profiles one more
import with the standard library's cProfile (cumulative and own time).
"""

import argparse
import io
import random
import time

from _django import start

# Applied in this process, not by the background worker.
ROOT = start(YUANQU_IMPORT_INLINE_ROWS="100000")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


class Counter:
    """Counts the queries without keeping them (CaptureQueriesContext would slow the import)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1

        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrap = connection.execute_wrapper(self)
        self._wrap.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrap.__exit__(*exc)

    def __len__(self):
        return self.n

HEADER = ["项目名称", "投资方", "目标企业", "产业类别", "产业链节点", "意向投资额", "招商方式", "来源省份", "来源城市",
          "责任单位", "责任人", "阶段", "终止原因", "下一步工作", "下一步日期", "备注"]
UNITS = ["招商局", "经济发展局", "三和片区", "江心沙片区", "临港片区", "科技创新局"]
INDUSTRIES = ["船舶海工", "邮轮配套", "高端装备", "新材料", "新能源", "现代物流", "生物医药", "文化旅游", "智能制造"]
PLACES = [("上海", ""), ("江苏", "苏州"), ("江苏省", "南京市"), ("浙江", "宁波"), ("广东", "深圳"), ("北京", ""),
          ("山东", "青岛"), ("湖北省", "武汉市"), ("四川", "成都"), ("福建", "厦门"), ("", "新加坡"), ("", "汉堡")]
AMOUNTS = ["5000万元", "2.5亿元", "约五千万", "3000万美元", "1.2亿元", "8000", "约3亿元", "2亿元", "1500万欧元", "",
           "6亿元", "三千五百万左右"]
# Most leads are fresh information; fewer get further (the demo's spread).
STAGES = ["信息"] * 30 + ["接触"] * 22 + ["考察"] * 16 + ["洽谈"] * 14 + ["签约"] * 8 + ["终止"] * 10
PROJECTS = ["生产基地", "研发中心", "配套产业园", "总部项目", "扩产项目", "智能工厂", "供应链中心", "示范园"]


def setup_zone():
    from yuanqu.chains import services as chain_services
    from yuanqu.investment.models import TargetCompany
    from yuanqu.org.models import OrgUnit, RoleAssignment, User

    admin = User.objects.create_user("bench-admin", full_name="基准管理员")
    RoleAssignment.objects.create(user=admin, role="admin")
    top = OrgUnit.objects.create(name="管委会", kind=OrgUnit.Kind.COMMITTEE)
    units = [OrgUnit.objects.create(name=n, kind=OrgUnit.Kind.DEPARTMENT, parent=top) for n in UNITS]
    people = []
    for i, unit in enumerate(units):
        for k in range(3):
            user = User.objects.create_user(f"zs{i}{k}", full_name=f"招商员{i}{k}", unit=unit)
            RoleAssignment.objects.create(user=user, role="reporter", unit=unit)
            people.append(user)
    chain = chain_services.chain_create(actor=None, data={"name": "豪华邮轮", "lead_unit": units[0]})
    nodes = []
    for s, segment in enumerate(["上游", "中游", "下游"]):
        parent = chain_services.node_create(actor=None, chain=chain, data={
            "code": "UMD"[s], "name": segment, "segment": ["up", "mid", "down"][s]})
        for k in range(1, 9):
            nodes.append(chain_services.node_create(actor=None, chain=chain, data={
                "code": f"{'UMD'[s]}{k}", "name": f"{segment}环节{k}", "parent": parent}))
    companies = TargetCompany.objects.bulk_create(
        TargetCompany(name=f"目标企业{i:03d}集团有限公司", kind="private", hq_province="江苏省") for i in range(200))
    return admin, units, people, nodes, companies


def rows(n: int, units, people, nodes, companies) -> list[list]:
    rng = random.Random(2026)
    out = [HEADER]
    for i in range(n):
        company = rng.choice(companies) if rng.random() < 0.4 else None
        stage = rng.choice(STAGES)
        unit = rng.choice(units)
        province, city = rng.choice(PLACES)
        industry = rng.choice(INDUSTRIES)
        owner = rng.choice([p for p in people if p.unit_id == unit.pk]) if rng.random() < 0.6 else None
        node = rng.choice(nodes) if rng.random() < 0.5 else None
        out.append([
            f"{industry}{rng.choice(PROJECTS)}（{i + 1:05d}）", company.name if company else f"某某投资有限公司{i % 97}",
            company.name if company else "", industry, f"豪华邮轮 › {node.code}" if node else "",
            rng.choice(AMOUNTS), rng.choice(["以商招商", "驻点招商", "基金招商", "委托招商", "展会招商", "产业链招商"]),
            province, city, unit.name, owner.full_name if owner else "", stage,
            "企业投资计划调整" if stage == "终止" else "", "赴企业总部拜访" if stage not in ("签约", "终止") else "",
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if stage not in ("签约", "终止") else "",
            "" if rng.random() < 0.7 else "企业已提交初步投资意向书",
        ])
    return out


def spreadsheet(table: list[list]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": False})
    sheet = workbook.add_worksheet("招商线索")
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if value != "":
                sheet.write_string(r, c, value)
    workbook.close()
    return out.getvalue()


class Rollback(Exception):
    pass


def bare(data: bytes, units, people, nodes, companies) -> int:
    """calamine and one bulk_create of the same rows: the floor anything real is measured against."""
    from python_calamine import CalamineWorkbook

    from yuanqu.investment.models import AttractionMode, Lead

    grid = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header, body = grid[0], grid[1:]
    at = {name: header.index(name) for name in HEADER}
    unit_by = {u.name: u for u in units}
    owner_by = {p.full_name: p for p in people}
    company_by = {c.name: c for c in companies}
    node_by = {f"豪华邮轮 › {n.code}": n for n in nodes}
    mode_by = {m.name: m for m in AttractionMode.objects.all()}
    leads = [Lead(
        name=row[at["项目名称"]], investor=row[at["投资方"]], company=company_by.get(row[at["目标企业"]]),
        industry=row[at["产业类别"]], chain_node=node_by.get(row[at["产业链节点"]]), amount_text=row[at["意向投资额"]],
        mode=mode_by.get(row[at["招商方式"]]), source_province=row[at["来源省份"]], source_city=row[at["来源城市"]],
        unit=unit_by[row[at["责任单位"]]], owner=owner_by.get(row[at["责任人"]]), next_action=row[at["下一步工作"]],
        next_action_on=row[at["下一步日期"]] or None, note=row[at["备注"]],
    ) for row in body]
    Lead.objects.bulk_create(leads, batch_size=1000)
    return len(leads)


def real(data: bytes, admin) -> object:
    from yuanqu.core.imports.services import import_apply, import_preview

    batch = import_preview(actor=admin, importer_key="investment.leads", file_name="招商线索.xlsx", data=data)
    if batch.errors:
        raise SystemExit("the bench file has errors:\n" + "\n".join(batch.errors[:10]))
    return import_apply(actor=admin, batch=batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs of each")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    admin, units, people, nodes, companies = setup_zone()
    data = spreadsheet(rows(args.rows, units, people, nodes, companies))
    print(f"{args.rows} lead rows, {len(data) / 1024:.0f} KB .xlsx, SQLite")

    from yuanqu.investment.models import Lead, LeadEvent

    def once(label, action):
        """Wall and CPU time of the action (the machine is shared: CPU time is the steadier), in a
        transaction rolled back afterwards so that the next round starts from the same database."""
        with Counter() as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                with transaction.atomic():
                    result = action()
                    counts = (Lead.objects.count(), LeadEvent.objects.count())
                    raise Rollback
            except Rollback:
                pass
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{label:<32} {wall:7.2f} s wall {cpu:7.2f} s CPU {len(queries):7d} queries  {result}; "
              f"{counts[0]} leads, {counts[1]} stage steps")
        return wall, cpu

    bare_runs, real_runs = [], []
    for _round in range(args.rounds):
        bare_runs.append(once("bare (calamine + bulk_create)", lambda: f"{bare(data, units, people, nodes, companies)} rows"))
        real_runs.append(once("import (preview + apply)", lambda: _applied(real(data, admin))))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        once("import, profiled", lambda: _applied(real(data, admin)))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    best_bare = min(bare_runs, key=lambda r: r[1])
    best_real = min(real_runs, key=lambda r: r[1])
    print(f"best of {args.rounds}: bare {best_bare[0]:.2f} s wall / {best_bare[1]:.2f} s CPU, "
          f"import {best_real[0]:.2f} s wall / {best_real[1]:.2f} s CPU")
    print(f"ratio import / bare: {best_real[1] / best_bare[1]:.2f} by CPU time, "
          f"{best_real[0] / best_bare[0]:.2f} by wall time (floor: 3)")


def _applied(batch) -> str:
    return f"{batch.status}: {batch.created_count} new"


if __name__ == "__main__":
    main()
