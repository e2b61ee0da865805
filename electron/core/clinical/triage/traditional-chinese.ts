// Traditional characters a patient in Hong Kong, Macau or Taiwan (or with a traditional input method)
// may type, mapped one-for-one to the simplified forms the rules are written in. Only characters
// that occur in symptoms, body parts, people, times and medicines are listed: triage needs to read
// the complaint, not convert literature. Each entry is "traditional simplified".
const pairs = [
  '頭头 嘔呕 暈晕 難难 氣气 腦脑 癇痫 發发 燒烧 熱热 話话 說说 講讲 無无 沒没 認认 過过 從从 這这 個个 們们 兒儿 嬰婴 寶宝',
  '懷怀 週周 歲岁 齡龄 醫医 藥药 農农 殺杀 著着 腳脚 臉脸 嚨咙 腫肿 癢痒 蟄蛰 風风 闌阑 腸肠 糞粪 壓压 悶闷 緊紧 絞绞 臟脏',
  '後后 顎颚 噁恶 識识 應应 驚惊 癲癫 殘残 樓楼 車车 禍祸 傷伤 燙烫 觸触 電电 頸颈 點点 敗败 膿脓 瀉泻 淚泪 窩窝 乾干 島岛',
  '雙双 測测 顫颤 視视 見见 線线 擋挡 睪睾 劇剧 陣阵 動动 產产 紅红 補补 鐵铁 術术 貓猫 還还 會会 麼么 嗎吗 問问 題题 現现',
  '剛刚 時时 間间 鐘钟 號号 體体 溫温 爺爷 媽妈 孫孙 給给 讓让 幫帮 請请 謝谢 該该 嚴严 厲厉 較较 極极 為为 與与 聽听 覺觉',
  '紺绀 痙痉 攣挛 瘋疯 輕轻 誤误 斷断 塊块 脈脉 驟骤 復复 甦苏 滾滚 陰阴 縮缩 腎肾 導导 蘋苹 爛烂 頻频 隨随 邊边 側侧 軟软',
  '嚥咽 語语 齒齿 聲声 啞哑 閃闪 簾帘 濺溅 鹼碱 婦妇 經经 驗验 陽阳 條条 槓杠 宮宫 療疗 夠够 幾几 兩两 萬万 鬆松 飯饭 餵喂',
  '褲裤 濕湿 漲涨 脹胀 結结 額额 錶表 計计 檢检 讀读 數数 門门 診诊 掛挂 裡里 來来 對对 錯错 樣样 種种 愛爱 險险 實实 機机',
  '級级 師师 員员 選选 擇择 於于 並并 當当 歷历 準准 備备 確确 證证 狀状 態态 徵征 預预 惡恶 續续 轉转 變变 壞坏 虛虚 睏困',
  '喪丧 絕绝 厭厌 煩烦 憂忧 鬱郁 慮虑 懼惧 嚇吓 亂乱 塗涂 癡痴 沈沉 痠酸 錐锥 鈍钝 隱隐 搖摇 癱瘫 瘓痪 閉闭 睜睁 張张 擴扩',
  '飛飞 聾聋 鳴鸣 墜坠 擊击 夾夹 劃划 撓挠 凍冻 嗆呛 異异 蟲虫 劑剂 潔洁 廁厕 靈灵 蠍蝎 針针 輸输 歡欢 親亲 衛卫 護护 際际',
  '聯联 處处 鬧闹 彈弹 髮发 鬢鬓 麵面 髒脏 糰团 喚唤 嘯啸 臍脐 帶带 盤盘 臨临 雞鸡 鴨鸭 蝦虾 蠶蚕 蕁荨 團团 膽胆 節节 關关',
  '類类 瘡疮 癤疖 潰溃 瘍疡 膚肤 齦龈 紋纹',
].join(' ')

export const traditionalToSimplified: ReadonlyMap<string, string> = new Map(
  pairs.split(' ').map((pair) => [pair[0]!, pair[1]!] as const),
)
