package org.fenghuo.simulator.city;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fenghuo.simulator.util.Weighted;

/** Word lists for plausible fictional names. */
final class NamePools {
    private NamePools() {}

    /** Common surnames, roughly by frequency (weights in per mille). */
    static final Weighted<String> SURNAMES = Weighted.ofPairs(
            "王", 72, "李", 71, "张", 68, "刘", 53, "陈", 45, "杨", 31, "黄", 22, "赵", 20, "吴", 20, "周", 19,
            "徐", 17, "孙", 16, "马", 15, "朱", 14, "胡", 13, "郭", 12, "何", 12, "高", 12, "林", 12, "罗", 11,
            "郑", 11, "梁", 10, "谢", 8, "宋", 8, "唐", 8, "许", 7, "韩", 7, "冯", 7, "邓", 7, "曹", 7,
            "彭", 6, "曾", 6, "肖", 6, "田", 6, "董", 5, "袁", 5, "潘", 5, "于", 5, "蒋", 5, "蔡", 5,
            "余", 5, "杜", 5, "叶", 5, "程", 5, "苏", 4, "魏", 4, "吕", 4, "丁", 4, "任", 4, "沈", 4,
            "姚", 4, "卢", 4, "姜", 4, "崔", 3, "钟", 3, "谭", 3, "陆", 3, "汪", 3, "范", 3, "金", 3,
            "石", 3, "廖", 3, "贾", 3, "夏", 3, "韦", 3, "方", 3, "邵", 3, "孟", 2, "欧阳", 1, "诸葛", 0.2);

    private static final String MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文荣海峰东亮成晨宏";
    private static final String FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英红梅兰琳燕萍雪慧佳倩婷颖洁琴云莉菲丹欣怡悦蕾薇晶月凤";
    private static final String NEUTRAL_CHARS = "子嘉思雨晓一天清安永金德新春秋玉小立振家";

    static String personName(boolean male, RandomGenerator rnd) {
        String own = male ? MALE_CHARS : FEMALE_CHARS;
        StringBuilder b = new StringBuilder(SURNAMES.pick(rnd));
        if (rnd.nextDouble() < 0.7) {
            String first = rnd.nextDouble() < 0.4 ? NEUTRAL_CHARS : own;
            b.append(first.charAt(rnd.nextInt(first.length())));
        }
        b.append(own.charAt(rnd.nextInt(own.length())));
        return b.toString();
    }

    static final List<String> STREET_NAMES = List.of(
            "望江", "湖滨", "清波", "紫阳", "南星", "小营", "长庆", "潮鸣", "凤凰", "白塔", "文晖", "米市",
            "和平", "朝晖", "翠苑", "古荡", "蒋村", "留下", "转塘", "双浦", "浦沿", "长河", "西兴", "闻堰",
            "新塘", "北干", "城厢", "宁围", "瓜沥", "义桥", "临浦", "楼塔", "仓前", "五常", "闲林", "良渚",
            "瓶窑", "径山", "崇贤", "塘栖", "星桥", "南苑", "东湖", "乔司", "运河", "下沙", "白杨", "河庄",
            "义蓬", "新湾", "临江", "前进", "银湖", "鹿山", "东洲", "春江", "富春", "桐君", "凤川", "石桥");

    private static final String PLACE_FIRST = "翠金春文和锦新华清明宝丰长永兴安福康德景瑞嘉光阳云湖青桃枫梅竹松柳荷兰江";
    private static final String PLACE_SECOND = "苑园桥塘湾坊庄里港林山溪亭门岸城府堤浦";

    /** {@code count} distinct two-character place names for communities. */
    static List<String> communityNames(int count, RandomGenerator rnd) {
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < count) {
            names.add("" + PLACE_FIRST.charAt(rnd.nextInt(PLACE_FIRST.length())) + PLACE_SECOND.charAt(rnd.nextInt(PLACE_SECOND.length())));
        }
        return new ArrayList<>(names);
    }

    static final List<String> ROADS = List.of(
            "文三路", "学院路", "教工路", "建国路", "解放路", "庆春路", "凤起路", "中河路", "环城北路", "秋涛路",
            "望江路", "江城路", "复兴路", "之江路", "滨江大道", "江南大道", "长河路", "西兴路", "春晓路", "明星路",
            "金城路", "人民路", "市心路", "育才路", "湘湖路", "萧然路", "工人路", "北干路", "新街路", "振宁路",
            "临平大道", "星光街", "世纪大道", "迎宾路", "运河路", "东湖路", "塘康路", "荷花塘路", "翠苑街", "丰潭路",
            "古墩路", "余杭塘路", "五常大道", "文一西路", "良渚路", "莫干山路", "湖州街", "石桥路", "杭海路", "九堡路");

    static final String[] TRADE_NAME_CHARS = {
        "恒", "达", "鑫", "盛", "华", "宏", "远", "顺", "泰", "昌", "荣", "祥", "瑞", "丰", "隆", "兴", "源", "通", "宇",
        "博", "创", "新", "锐", "卓", "越", "凯", "旭", "晟", "铭", "嘉", "诚", "信", "德", "益", "众", "联", "晶", "科"};

    /** Industry and a relative frequency; the first weight is for the old town, the second elsewhere. */
    static final List<String[]> INDUSTRIES = List.of(
            new String[] {"精密机械", "1", "6"}, new String[] {"电子科技", "3", "5"}, new String[] {"纺织服饰", "1", "5"},
            new String[] {"建筑工程", "2", "4"}, new String[] {"物流", "1", "4"}, new String[] {"餐饮管理", "5", "2"},
            new String[] {"食品", "1", "3"}, new String[] {"新材料", "1", "3"}, new String[] {"汽车配件", "0.5", "4"},
            new String[] {"印染", "0.2", "2"}, new String[] {"家具制造", "0.3", "3"}, new String[] {"物业管理", "4", "2"},
            new String[] {"劳务派遣", "2", "2"}, new String[] {"网络科技", "5", "2"}, new String[] {"包装材料", "0.3", "3"},
            new String[] {"医疗器械", "1", "2"}, new String[] {"建材", "0.5", "3"}, new String[] {"商贸", "4", "2"},
            new String[] {"装饰工程", "2", "2"}, new String[] {"五金制品", "0.5", "3"});
}
