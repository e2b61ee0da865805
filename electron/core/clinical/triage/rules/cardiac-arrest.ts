// Not breathing, no pulse, CPR under way.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

export const notBreathingOrNoPulse: Sign = {
  name: 'not breathing or no pulse',
  patterns: [
    // 没有呼吸了 but not 没有呼吸困难: the sign ends at the clause or with 了.
    rx`(?:没有?|冇|停止了?)(?:晒)?呼吸了?(?=$|[,。;!?\s]|了)|胸口?(?:都|也)?(?:没有?|冇|唔|不)(?:起伏|动)(?:了)?(?=$|[,。;!?\s])|(?:叹息|叹气|濒死|抽泣)样(?:的)?呼吸|只(?:是)?(?:偶尔|隔一会儿?|半天)(?:倒)?(?:抽|吸|喘)一(?:口|下)气|呼吸(?:停了|停止了?|没了)|没气了|没(?:有)?了?心跳|(?<!我|我的|吓得${G}{0,3})心跳(?:停了|停止了?|没了)|心(?:脏|跳)骤停|摸不(?:到|着)(?:脉搏|脉|心跳)|没(?:有)?脉搏`,
    // Agonal gasping is not breathing. "My heart stopped when I saw my results" is a figure of speech:
    // a patient who writes cannot be in arrest, so only someone else's heart, or one that "has stopped".
    rx`\b(?:not|isn't|is not|stopped|no longer) breathing\b(?! (?:normally|properly|well|right|easily|through))|\bno pulse\b|\bcan't (?:feel|find) (?:a|his|her|any) pulse\b|\b(?:his|her|their|dad's|mum's|mom's|the patient's) heart (?:has )?stopped\b|\bheart has stopped\b|\bcardiac arrest\b`,
    rx`\b(?:only|just|occasionally|barely) gasping\b|\bgasping (?:every|once every) (?:few|couple of|\d+|ten|twenty) (?:seconds|secs)\b|\bagonal (?:breathing|breaths|gasps?|gasping)\b`,
  ],
}

export const resuscitation: Sign = {
  name: 'CPR under way',
  // Not a course or a question about the technique (心肺复苏按压的频率是多少, CPR training).
  patterns: [
    rx`(?<!学|学习|培训|考|练习|\b(?:practi[sc]ed|practi[sc]ing|learn(?:ed|t|ing)|taught|teaching) )(?:心肺复苏|胸外按压|人工呼吸|\bcpr\b|\bdefibrillat|\baed\b)(?![^。!?\n]{0,12}(?:频率|深度|步骤|流程|培训|课|考试|证书|是多少|多少次|怎么做|的方法|\btraining\b|\bcourse\b|\bclass\b|\bcertificat))`,
  ],
}

export const cardiacArrestRules: TriageRule[] = [
  {
    id: 'cardiac-arrest.no-breathing-or-pulse',
    category: 'cardiac-arrest',
    level: 'emergency',
    needs: [[notBreathingOrNoPulse, resuscitation]],
    action: {
      'zh-CN': '立即呼叫 120 并开始心肺复苏（胸外按压），尽快取来 AED；病人在院内则启动院内急救。',
      en: 'Call 120 and start CPR (chest compressions) now; get an AED. If the patient is on site, call the resuscitation team.',
    },
  },
]
