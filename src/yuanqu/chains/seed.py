"""The four starter chains of ../shared/reference/domain.md §3.2 (豪华邮轮, 智能制造, 现代建筑,
汽车配件): starter data to be validated by the zone, loaded by the demo and editable like any
chain. Each line is `code name`; a tab-free two-space indent makes a child."""

from __future__ import annotations

SEGMENT_NAMES = {"U": ("up", "上游"), "M": ("mid", "中游"), "D": ("down", "下游")}

TREES: dict[str, str] = {
    "豪华邮轮": """
U1 设计研发
  U1.1 概念设计
  U1.2 基本设计
  U1.3 详细设计
  U1.4 生产设计
U2 船用钢材与薄板、铝材
U3 动力与推进
U4 电气与自动化
U5 环保与安全
U6 舱室与内装材料
U7 酒店系统
M1 薄板分段制造
M2 分段总组与坞内搭载
M3 管电舾装
M4 内装工程
M5 系统集成调试与试航交付
M6 项目与供应链管理
D1 邮轮运营公司
D2 邮轮港口与码头服务
D3 船供与物流
D4 维修改装
D5 船员培训与人力
D6 邮轮旅游销售
D7 金融租赁与保险
""",
    "智能制造": """
U1 精密减速器
U2 伺服电机与驱动
U3 控制器/PLC/数控系统
U4 传感器与机器视觉
U5 功能部件
U6 工业软件
U7 芯片与电子元器件
M1 工业机器人本体
M2 数控机床
M3 智能检测与装配装备
M4 智能物流装备
M5 增材制造装备
M6 系统集成与智能产线
M7 工业互联网平台
D1 汽车及零部件
D2 船舶海工
D3 电子信息
D4 新能源
D5 金属加工与通用机械
D6 运维改造与数字孪生服务
""",
    "现代建筑": """
U1 标准化设计与BIM
U2 基础建材
U3 PC构件
U4 钢结构构件
U5 木结构与新型墙材
U6 部品部件
U7 生产装备与模具
M1 工程总承包(EPC)
M2 装配式施工与吊装连接
M3 装配化装修
M4 智能建造
M5 构件物流
M6 检测监理与驻厂监造
D1 房地产与政府投资项目
D2 工业厂房
D3 运维与物业
D4 城市更新
D5 建筑垃圾资源化与构件回收
""",
    "汽车配件": """
U1 钢材
U2 铝合金与有色金属
U3 橡胶
U4 塑料与复合材料
U5 玻璃
U6 电子元器件与芯片
M1 发动机/动力总成
M2 底盘系统
M3 车身与内外饰
M4 汽车电子
M5 通用件
M6 新能源三电
M7 热管理
D1 整车制造(OEM)
D2 经销4S与电商
D3 维修与后市场
D4 再制造与回收
""",
}


def seed_rows(text: str) -> list[tuple[int, str, str]]:
    """(level, code, name) per line; the 环节 nodes U/M/D come first at level 1."""
    rows: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for line in text.strip("\n").splitlines():
        indent = (len(line) - len(line.lstrip(" "))) // 2
        code, name = line.strip().split(" ", 1)
        segment = code[0]
        if indent == 0 and segment not in seen:
            seen.add(segment)
            rows.append((1, segment, SEGMENT_NAMES[segment][1]))
        rows.append((indent + 2, code, name))
    return rows
