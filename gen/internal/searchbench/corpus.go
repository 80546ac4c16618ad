package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"gongjian/gen/search"
)

// commonChars are frequent Chinese characters; the corpus draws most of
// its characters from them, the rest from the whole Unified Ideographs
// block, so that pairs are shared by many stories as in real text.
const commonChars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"

// vocab is the corpus's vocabulary: words of two to four characters.
type vocab struct {
	words []string
	zipf  *rand.Zipf
}

func newVocab(rng *rand.Rand, n int) *vocab {
	// 3,500 characters, as in everyday text, drawn by Zipf's law: the
	// common ones first, then others of the Unified Ideographs.
	pool := []rune(commonChars)
	have := map[rune]bool{}
	for _, r := range pool {
		have[r] = true
	}
	for len(pool) < 3500 {
		if r := rune(0x4E00 + rng.IntN(0x9FA5-0x4E00)); !have[r] {
			have[r] = true
			pool = append(pool, r)
		}
	}
	cz := rand.NewZipf(rng, 1.3, 4, uint64(len(pool)-1))
	char := func() rune { return pool[cz.Uint64()] }
	v := &vocab{zipf: rand.NewZipf(rng, 1.1, 8, uint64(n-1))}
	seen := map[string]bool{}
	for len(v.words) < n {
		rs := make([]rune, 2+rng.IntN(3)*rng.IntN(2))
		for i := range rs {
			rs[i] = char()
		}
		if w := string(rs); !seen[w] {
			seen[w] = true
			v.words = append(v.words, w)
		}
	}
	return v
}

// benchStory is one story of the corpus.
func benchStory(rng *rand.Rand, v *vocab, i int) search.Doc {
	// Each story has words of its own (a tenth of its words) besides the
	// common ones, so that a phrase of a few words belongs to one story.
	own := make([]string, 40)
	for k := range own {
		own[k] = v.words[rng.IntN(len(v.words))]
	}
	word := func() string {
		if rng.IntN(10) == 0 {
			return own[rng.IntN(len(own))]
		}
		return v.words[v.zipf.Uint64()]
	}
	sentence := func(words int) string {
		var b strings.Builder
		for k := range words {
			b.WriteString(word())
			if k == words/2 && rng.IntN(2) == 0 {
				b.WriteString("，")
			}
		}
		return b.String()
	}
	var text strings.Builder
	for p := range 3 {
		for range 4 + rng.IntN(4) {
			text.WriteString(sentence(5 + rng.IntN(6)))
			text.WriteString("。")
		}
		if p < 2 {
			text.WriteString("\n")
		}
	}
	return search.Doc{URL: fmt.Sprintf("/news/story-%05d/", i), Kind: "story", Title: sentence(3 + rng.IntN(3)),
		Summary: sentence(6) + "。", Text: text.String(), Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%330)}
}

// plants are sentences put into given stories for the query set: words a
// resident would type (queries.txt), in one story or a few.
var plants = map[int]string{
	17:   "玫瑰苑小区的智能回收亭每天称重三次，居民用积分卡兑换洗发水。",
	242:  "爱心积分超市兑换洗发水和纸巾，垃圾分类积分怎么兑换一目了然。",
	1093: "产城融合工业园区和居民小区越走越近。",
	2048: "社区干部和志愿者逐户上门走访，志愿者服务队登记水电气暖问题。",
	3001: "居民下载APP后可以查询垃圾分类积分，到超市兑换生活用品。",
	4500: "开发区推进AI识别垃圾分类，摄像头提醒投放。",
	5123: "第5433号提案办理完毕，诉求办理满意率达到百分之九十八。",
	6006: "长者服务中心的幸福食堂每天中午供应两荤两素。",
	7777: "白浪路改造后畅通美观，沿街商铺重新开张。",
	8888: "老街的火锅店排起长队。",
	9001: "生活污水处理厂每天处理污水五万吨，出水达到一级A标准。",
}

// benchDocs is the corpus: n stories with distinct vocabularies, some with
// a planted sentence, and the six topic pages and two datasets of a portal.
func benchDocs(n int) []search.Doc {
	rng := rand.New(rand.NewPCG(16, 2026))
	v := newVocab(rng, 60000)
	docs := make([]search.Doc, 0, n+8)
	for i := range n {
		d := benchStory(rng, v, i)
		if p, ok := plants[i]; ok {
			// In the middle of the text, between two sentences.
			cut := strings.Index(d.Text[len(d.Text)/2:], "。") + len(d.Text)/2 + len("。")
			d.Text = d.Text[:cut] + p + d.Text[cut:]
		}
		docs = append(docs, d)
	}
	for _, t := range [][3]string{
		{"industrial-park", "产城融合工业园区", "工业园区与居民小区共建共享。"},
		{"river", "小流域治理", "家门口的小河重新变清。"},
		{"sewage-plant", "生活污水处理厂", "污水处理厂向居民开放参观。"},
		{"governance", "基层治理", "大家的事情大家商量着办。"},
		{"garbage-sorting", "垃圾分类", "智能回收亭与积分制。"},
		{"elderly-care", "养老服务", "长者服务中心与幸福食堂。"},
	} {
		docs = append(docs, search.Doc{URL: "/topics/" + t[0] + "/", Kind: "topic", Title: t[1], Summary: t[2], Text: t[2]})
	}
	docs = append(docs,
		search.Doc{URL: "/data/points/", Kind: "dataset", Title: "垃圾分类积分兑换", Summary: "各小区居民积分的获得与兑换。",
			Text: "小区 玫瑰苑 祥安东城 积分 兑换 月份", Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		search.Doc{URL: "/data/requests/", Kind: "dataset", Title: "居民诉求办理", Summary: "按月统计的诉求数量与办结率。",
			Text: "诉求 办结 月份 类别", Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	return docs
}

// phraseAt is the n characters of a story's text from character at: a
// phrase a resident might copy from it.
func phraseAt(docs []search.Doc, url string, at, n int) (string, error) {
	for _, d := range docs {
		if d.URL != url {
			continue
		}
		rs := []rune(d.Text)
		if at+n > len(rs) {
			return "", fmt.Errorf("%s has %d characters, not %d", url, len(rs), at+n)
		}
		s := string(rs[at : at+n])
		if !utf8.ValidString(s) || strings.ContainsAny(s, "，。\n") {
			return "", fmt.Errorf("%s: phrase %q at %d crosses punctuation", url, s, at)
		}
		return s, nil
	}
	return "", fmt.Errorf("no story %s", url)
}
