"""Synthetic SMS texts: spam campaigns (illegal advertising, fraud) and ordinary messages.

Written from templates with random fillers, in the style of the spam the VP speech 2010 describes
(illegal advertising); no message is taken from any real data set.
"""

from __future__ import annotations

import numpy as np

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PLACES = ("市中心", "新区", "高新区", "开发区", "老城区", "火车站旁", "地铁口")
SPAM_TEMPLATES: dict[str, tuple[str, ...]] = {
    "invoice": (
        "您好!本公司长期代开各类发票,税点低,可验证后付款,联系{name}经理{phone}",
        "{name}先生:专业代开增值税发票、普通发票,点数优惠,电话{phone}",
        "诚信代开发票,全国可查,保真,需要请联系{phone}({name}会计)",
    ),
    "loan": (
        "无抵押信用贷款,最高{amount}万,当天放款,详询{phone}",
        "急用钱?凭身份证即可贷{amount}万,利息低至{rate}厘,电话{phone}",
        "{name}经理提醒您:企业及个人贷款{amount}万内秒批,回复Y了解",
    ),
    "property": (
        "{place}精装现房,首付仅{amount}万,买房送车位,热线{phone}",
        "【{place}楼盘】开盘特惠{discount}折,限量{count}套,速来抢购!{phone}",
    ),
    "prize": (
        "恭喜您的号码被抽中{prize}大奖,请登录www.{domain}.com领取,验证码{code}",
        "【中奖通知】您已获得{amount}万元现金及笔记本电脑,请致电{phone}办理领奖手续",
        "尊敬的用户,您的积分可兑换{amount}00元现金,点击{domain}.cn/{code}立即兑换",
    ),
    "gambling": (
        "本期特码已出,内部资料准确率{rate}0%,加QQ{code}获取",
        "六合彩内幕消息,保证中奖,详情{phone}",
    ),
    "parttime": (
        "招聘兼职刷单员,日结{amount}00元,在家即可操作,加微信{code}",
        "诚聘网络兼职,每天两小时,月入过万,联系{name}老师{phone}",
    ),
    "promotion": (
        "{place}商场周年庆,全场{discount}折起,满{amount}00送{amount}0,退订回T",
        "新店开业!{place}美容会所体验价{amount}8元,预约{phone}",
    ),
    "training": (
        "学历提升:成人高考、自考本科,包过,咨询{name}老师{phone}",
        "英语培训暑期班{discount}折优惠,名额有限,报名电话{phone}",
    ),
}
CAMPAIGNS: tuple[str, ...] = tuple(SPAM_TEMPLATES)
HAM_TEMPLATES: tuple[str, ...] = (
    "晚上一起吃饭吗?我{hour}点下班",
    "我到{place}了,你在哪儿",
    "妈,我这周末回家",
    "会议改到明天上午{hour}点,请准时参加",
    "收到,谢谢!",
    "快递放在门卫了,记得去拿",
    "生日快乐!祝你天天开心",
    "明天降温,多穿点衣服",
    "{name}老师,孩子今天请假一天,谢谢",
    "你好,我是{name}工,图纸已发你邮箱",
)


def _fill(template: str, rng: np.random.Generator) -> str:
    name = SURNAMES[int(rng.integers(0, len(SURNAMES)))]
    return template.format(
        name=name,
        phone="1" + "".join(str(int(d)) for d in rng.integers(0, 10, 10)),
        amount=int(rng.integers(2, 50)),
        rate=int(rng.integers(3, 9)),
        discount=int(rng.integers(3, 9)),
        count=int(rng.integers(5, 60)),
        place=PLACES[int(rng.integers(0, len(PLACES)))],
        prize=("一等", "二等", "幸运")[int(rng.integers(0, 3))],
        domain="".join(chr(97 + int(c)) for c in rng.integers(0, 26, 6)),
        code=str(int(rng.integers(100_000, 999_999_999))),
        hour=int(rng.integers(6, 10)),
    )


def spam_texts(rng: np.random.Generator, campaign: np.ndarray) -> list[str]:
    """One spam text per row, from each row's campaign (an index into ``CAMPAIGNS``)."""
    out = []
    for c in campaign.tolist():
        templates = SPAM_TEMPLATES[CAMPAIGNS[c]]
        out.append(_fill(templates[int(rng.integers(0, len(templates)))], rng))
    return out


def ham_texts(rng: np.random.Generator, n: int) -> list[str]:
    return [_fill(HAM_TEMPLATES[int(rng.integers(0, len(HAM_TEMPLATES)))], rng) for _ in range(n)]
