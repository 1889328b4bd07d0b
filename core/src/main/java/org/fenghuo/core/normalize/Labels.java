package org.fenghuo.core.normalize;

import java.util.Map;

/** Chinese display labels for the feeds' enumerations, used in event titles that a duty officer reads. */
public final class Labels {
    private Labels() {}

    private static final Map<String, String> CATEGORY = Map.ofEntries(
            Map.entry("DISPUTE", "矛盾纠纷"), Map.entry("SAFETY_HAZARD", "安全隐患"), Map.entry("PUBLIC_ORDER", "治安"),
            Map.entry("GATHERING", "人员聚集"), Map.entry("LABOR", "劳资"), Map.entry("PETITION_LEAD", "信访苗头"),
            Map.entry("ENVIRONMENT", "环境"), Map.entry("SPECIAL_POPULATION", "特殊人群"), Map.entry("OTHER", "其他"),
            Map.entry("ASSISTANCE", "求助"), Map.entry("TRAFFIC", "交通"), Map.entry("SAFETY", "安全"), Map.entry("NOISE", "噪音"),
            Map.entry("WAGE_ARREARS", "拖欠工资"), Map.entry("LABOR_CONTRACT", "劳动合同"), Map.entry("SOCIAL_INSURANCE", "社会保险"),
            Map.entry("LAND_REQUISITION", "征地"), Map.entry("DEMOLITION", "拆迁"), Map.entry("HOUSING_PROPERTY", "住房物业"),
            Map.entry("LAW_ENFORCEMENT", "执法"), Map.entry("MEDICAL", "医疗"), Map.entry("EDUCATION", "教育"),
            Map.entry("OVERTIME", "超时加班"), Map.entry("CHILD_LABOR", "童工"));

    private static final Map<String, String> LABOR_KIND = Map.of(
            "COMPLAINT", "投诉", "INSPECTION", "检查", "VIOLATION", "违法认定", "CASE_CLOSED", "结案");

    private static final Map<String, String> CHANNEL = Map.of("LETTER", "来信", "VISIT", "来访", "PHONE", "电话", "ONLINE", "网上");

    private static final Map<String, String> RECEIVING_LEVEL = Map.of(
            "STREET", "街道", "DISTRICT", "区县", "CITY", "市级", "PROVINCE", "省级", "NATIONAL", "国家级");

    public static String category(String code) { return CATEGORY.getOrDefault(code, code); }
    public static String laborKind(String code) { return LABOR_KIND.getOrDefault(code, code); }
    public static String channel(String code) { return CHANNEL.getOrDefault(code, code); }
    public static String receivingLevel(String code) { return RECEIVING_LEVEL.getOrDefault(code, code); }
}
