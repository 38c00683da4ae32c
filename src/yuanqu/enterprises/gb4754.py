"""GB/T 4754-2017 国民经济行业分类: the 20 sections (门类 A–T) and 97 divisions (大类 01–97).

Shipped as data (the migration `0003_reference_data` loads it); the administrator may rename a
row in the admin site but the codes are the standard's."""

SECTIONS = (
    ("A", "农、林、牧、渔业", ((1, "农业"), (2, "林业"), (3, "畜牧业"), (4, "渔业"),
                          (5, "农、林、牧、渔专业及辅助性活动"))),
    ("B", "采矿业", ((6, "煤炭开采和洗选业"), (7, "石油和天然气开采业"), (8, "黑色金属矿采选业"),
                  (9, "有色金属矿采选业"), (10, "非金属矿采选业"), (11, "开采专业及辅助性活动"), (12, "其他采矿业"))),
    ("C", "制造业", (
        (13, "农副食品加工业"), (14, "食品制造业"), (15, "酒、饮料和精制茶制造业"), (16, "烟草制品业"),
        (17, "纺织业"), (18, "纺织服装、服饰业"), (19, "皮革、毛皮、羽毛及其制品和制鞋业"),
        (20, "木材加工和木、竹、藤、棕、草制品业"), (21, "家具制造业"), (22, "造纸和纸制品业"),
        (23, "印刷和记录媒介复制业"), (24, "文教、工美、体育和娱乐用品制造业"), (25, "石油、煤炭及其他燃料加工业"),
        (26, "化学原料和化学制品制造业"), (27, "医药制造业"), (28, "化学纤维制造业"), (29, "橡胶和塑料制品业"),
        (30, "非金属矿物制品业"), (31, "黑色金属冶炼和压延加工业"), (32, "有色金属冶炼和压延加工业"),
        (33, "金属制品业"), (34, "通用设备制造业"), (35, "专用设备制造业"), (36, "汽车制造业"),
        (37, "铁路、船舶、航空航天和其他运输设备制造业"), (38, "电气机械和器材制造业"),
        (39, "计算机、通信和其他电子设备制造业"), (40, "仪器仪表制造业"), (41, "其他制造业"),
        (42, "废弃资源综合利用业"), (43, "金属制品、机械和设备修理业"))),
    ("D", "电力、热力、燃气及水生产和供应业", ((44, "电力、热力生产和供应业"), (45, "燃气生产和供应业"),
                                  (46, "水的生产和供应业"))),
    ("E", "建筑业", ((47, "房屋建筑业"), (48, "土木工程建筑业"), (49, "建筑安装业"), (50, "建筑装饰、装修和其他建筑业"))),
    ("F", "批发和零售业", ((51, "批发业"), (52, "零售业"))),
    ("G", "交通运输、仓储和邮政业", ((53, "铁路运输业"), (54, "道路运输业"), (55, "水上运输业"), (56, "航空运输业"),
                            (57, "管道运输业"), (58, "多式联运和运输代理业"), (59, "装卸搬运和仓储业"), (60, "邮政业"))),
    ("H", "住宿和餐饮业", ((61, "住宿业"), (62, "餐饮业"))),
    ("I", "信息传输、软件和信息技术服务业", ((63, "电信、广播电视和卫星传输服务"), (64, "互联网和相关服务"),
                                (65, "软件和信息技术服务业"))),
    ("J", "金融业", ((66, "货币金融服务"), (67, "资本市场服务"), (68, "保险业"), (69, "其他金融业"))),
    ("K", "房地产业", ((70, "房地产业"),)),
    ("L", "租赁和商务服务业", ((71, "租赁业"), (72, "商务服务业"))),
    ("M", "科学研究和技术服务业", ((73, "研究和试验发展"), (74, "专业技术服务业"), (75, "科技推广和应用服务业"))),
    ("N", "水利、环境和公共设施管理业", ((76, "水利管理业"), (77, "生态保护和环境治理业"), (78, "公共设施管理业"),
                              (79, "土地管理业"))),
    ("O", "居民服务、修理和其他服务业", ((80, "居民服务业"), (81, "机动车、电子产品和日用产品修理业"), (82, "其他服务业"))),
    ("P", "教育", ((83, "教育"),)),
    ("Q", "卫生和社会工作", ((84, "卫生"), (85, "社会工作"))),
    ("R", "文化、体育和娱乐业", ((86, "新闻和出版业"), (87, "广播、电视、电影和录音制作业"), (88, "文化艺术业"),
                          (89, "体育"), (90, "娱乐业"))),
    ("S", "公共管理、社会保障和社会组织", ((91, "中国共产党机关"), (92, "国家机构"), (93, "人民政协、民主党派"),
                              (94, "社会保障"), (95, "群众团体、社会团体和其他成员组织"),
                              (96, "基层群众自治组织及其他组织"))),
    ("T", "国际组织", ((97, "国际组织"),)),
)

# Indicators of the yearly figures (key, name, unit, may be negative): what the tax, statistics and
# power offices send. The administrator adds more in the admin site.
INDICATORS = (
    ("revenue", "主营业务收入", "万元", False),
    ("value_added", "工业增加值", "万元", True),
    ("tax_paid", "实缴税金", "万元", False),
    ("energy", "综合能耗", "吨标煤", False),
    ("electricity", "用电量", "万千瓦时", False),
    ("pollutants", "主要污染物排放", "吨", False),
    ("rnd", "R&D经费", "万元", False),
    ("employees", "年平均职工人数", "人", False),
    ("land_area", "用地面积", "亩", False),
)

SOURCES = ("税务", "统计", "电力", "生态环境", "自然资源", "市场监管", "企业自报")

# (group, name): 上市梯队 is one tag per stage so a stage is a tag like any other.
TAGS = (
    ("上市梯队", "上市梯队·辅导"), ("上市梯队", "上市梯队·申报"), ("上市梯队", "上市梯队·上市"),
    ("专精特新", "专精特新“小巨人”"), ("专精特新", "单项冠军"), ("科技", "高新技术企业"), ("科技", "专利示范企业"),
    ("科技", "科技型中小企业"),
)

# Growth steps: (ladder, name, kind, indicator key, threshold, rank). 上台阶 by 主营业务收入 (万元);
# 小升规 by the 规上 admission, its 2000万元 threshold only marks candidates.
TIER_STEPS = (
    ("step", "亿元企业", "threshold", "revenue", 10_000, 1),
    ("step", "十亿元企业", "threshold", "revenue", 100_000, 2),
    ("step", "五十亿元企业", "threshold", "revenue", 500_000, 3),
    ("scale", "小升规", "above_scale", "revenue", 2_000, 1),
)


def load(get_model) -> None:
    """Insert each shipped list whose table is empty. `get_model(app, name)` is the migration's
    historical registry or the live one: the demo reloads the lists into a database a test flushed."""
    Section, Division = get_model("enterprises", "IndustrySection"), get_model("enterprises", "IndustryDivision")
    if not Section.objects.exists():
        for code, name, divisions in SECTIONS:
            section = Section.objects.create(code=code, name=name)
            Division.objects.bulk_create(Division(code=f"{n:02d}", name=d, section=section) for n, d in divisions)
    Source = get_model("enterprises", "FigureSource")
    if not Source.objects.exists():
        Source.objects.bulk_create(Source(name=n, order=i) for i, n in enumerate(SOURCES))
    Indicator = get_model("enterprises", "Indicator")
    if not Indicator.objects.exists():
        Indicator.objects.bulk_create(Indicator(key=k, name=n, unit=u, allow_negative=neg, order=i)
                                      for i, (k, n, u, neg) in enumerate(INDICATORS))
    Tag = get_model("enterprises", "EnterpriseTag")
    if not Tag.objects.exists():
        Tag.objects.bulk_create(Tag(group=g, name=n, order=i) for i, (g, n) in enumerate(TAGS))
    Step = get_model("enterprises", "TierStep")
    if not Step.objects.exists():
        indicators = {i.key: i for i in Indicator.objects.all()}
        Step.objects.bulk_create(Step(ladder=ladder, name=name, kind=kind, indicator=indicators[key],
                                      threshold=threshold, rank=rank)
                                 for ladder, name, kind, key, threshold, rank in TIER_STEPS)
