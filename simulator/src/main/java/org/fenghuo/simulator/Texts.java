package org.fenghuo.simulator;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Free-text templates for descriptions and summaries; {@code {addr}}, {@code {n}} and {@code {org}} are filled in. */
final class Texts {
    private Texts() {}

    private static final Map<String, List<String>> GRID = Map.of(
            "DISPUTE", List.of("{addr}两户居民因楼道堆物发生口角,网格员现场劝解。", "{addr}邻里因漏水问题产生纠纷,双方情绪激动,需社区调解。",
                    "{addr}商户与顾客因退款发生争执,已初步调解。", "{addr}租户与房东因押金退还产生矛盾。"),
            "SAFETY_HAZARD", List.of("{addr}发现电动自行车在楼道内充电,存在火灾隐患。", "{addr}消防通道被车辆占用。",
                    "{addr}沿街店铺违规使用液化气瓶。", "{addr}老旧小区外墙瓷砖松动,有坠落风险。"),
            "PUBLIC_ORDER", List.of("{addr}夜间有人员聚集饮酒喧哗。", "{addr}发现可疑人员多次出入出租屋。", "{addr}流动摊贩占道经营。"),
            "GATHERING", List.of("{addr}约{n}人聚集,情绪较为激动。", "{addr}有{n}余名人员聚集讨要说法。"),
            "LABOR", List.of("{addr}有工人反映工资被拖欠两个月。", "{addr}工地务工人员反映未签订劳动合同。"),
            "PETITION_LEAD", List.of("{addr}居民对拆迁补偿不满,扬言要去上访。", "{addr}业主群中有人组织集体上访。"),
            "ENVIRONMENT", List.of("{addr}有异味,居民反映夜间气味明显。", "{addr}建筑工地夜间施工噪声扰民。", "{addr}河道有垃圾漂浮。",
                    "{addr}餐饮油烟直排,周边居民投诉。"),
            "SPECIAL_POPULATION", List.of("走访{addr}社区矫正对象,情况稳定。", "{addr}独居老人走访,身体状况良好。", "{addr}严重精神障碍患者随访,已服药。"),
            "OTHER", List.of("{addr}路灯损坏。", "{addr}井盖缺失,已设置警示。", "{addr}共享单车乱停放。"));

    private static final Map<String, List<String>> CALL = Map.of(
            "DISPUTE", List.of("报警人称在{addr}与他人发生纠纷。", "报警人称邻居在{addr}堵门吵闹。"),
            "ASSISTANCE", List.of("报警人称在{addr}钥匙丢失需要开锁。", "报警人称老人在{addr}走失。", "报警人称在{addr}被困电梯。"),
            "GATHERING", List.of("报警人称{addr}有约{n}人聚集。", "报警人称{addr}有人员聚集堵路。"),
            "LABOR", List.of("报警人称在{addr}被拖欠工资。", "报警人称{addr}老板失联,工人讨薪。"),
            "TRAFFIC", List.of("报警人称{addr}发生两车剐蹭。", "报警人称{addr}有车辆违停堵路。"),
            "SAFETY", List.of("报警人称{addr}闻到燃气味。", "报警人称{addr}有广告牌松动。"),
            "NOISE", List.of("报警人称{addr}夜间装修噪音扰民。", "报警人称{addr}广场舞音响声音过大。"),
            "OTHER", List.of("报警人咨询{addr}相关事宜。", "报警人称{addr}有流浪狗伤人隐患。"));

    private static final Map<String, List<String>> PETITION = Map.ofEntries(
            Map.entry("WAGE_ARREARS", List.of("反映{org}拖欠工资,要求尽快支付。")),
            Map.entry("LABOR_CONTRACT", List.of("反映{org}未依法签订劳动合同即解除劳动关系。")),
            Map.entry("SOCIAL_INSURANCE", List.of("反映{org}未为职工缴纳社会保险。")),
            Map.entry("LAND_REQUISITION", List.of("反映征地补偿标准过低,要求重新核定。")),
            Map.entry("DEMOLITION", List.of("反映旧城改造拆迁安置房迟迟未交付。", "对拆迁补偿方案有异议。")),
            Map.entry("HOUSING_PROPERTY", List.of("反映小区物业服务差、收费不透明。", "反映商品房逾期交付、办证难。")),
            Map.entry("ENVIRONMENT", List.of("反映附近企业排放废气,影响居民生活。")),
            Map.entry("LAW_ENFORCEMENT", List.of("对执法部门处罚决定不服。")),
            Map.entry("MEDICAL", List.of("反映医疗纠纷处理不公。")),
            Map.entry("EDUCATION", List.of("反映子女入学安排问题。")),
            Map.entry("OTHER", List.of("反映其他问题,要求相关部门答复。")));

    private static final Map<String, List<String>> LABOR = Map.of(
            "WAGE_ARREARS", List.of("{org}拖欠{n}名职工工资。", "职工投诉{org}拖欠工资。"),
            "SOCIAL_INSURANCE", List.of("{org}未足额缴纳社会保险费。"),
            "OVERTIME", List.of("{org}安排职工超时加班。"),
            "LABOR_CONTRACT", List.of("{org}未与职工签订书面劳动合同。"),
            "CHILD_LABOR", List.of("{org}涉嫌使用童工。"),
            "SAFETY", List.of("{org}未为职工配备劳动防护用品。"),
            "OTHER", List.of("{org}劳动用工检查。"));

    static String grid(String category, String addr, int n, RandomGenerator rnd) { return fill(GRID, category, addr, n, "", rnd); }

    static String call(String type, String addr, int n, RandomGenerator rnd) { return fill(CALL, type, addr, n, "", rnd); }

    static String petition(String issue, String org, RandomGenerator rnd) { return fill(PETITION, issue, "", 0, org, rnd); }

    static String labor(String issue, String org, int n, RandomGenerator rnd) { return fill(LABOR, issue, "", n, org, rnd); }

    private static String fill(Map<String, List<String>> templates, String key, String addr, int n, String org, RandomGenerator rnd) {
        List<String> options = templates.getOrDefault(key, List.of("{addr}"));
        return options.get(rnd.nextInt(options.size())).replace("{addr}", addr).replace("{n}", Integer.toString(n)).replace("{org}", org);
    }
}
