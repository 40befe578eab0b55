/**
 * Swedish place names the lexicon layer must not translate: the official names of Sweden's
 * 290 municipalities (as SCB lists them) and localities of Blekinge, where the companies
 * are. Names are facts, not data under a licence. Split into Swedish parts, one in seven
 * municipalities read as nonsense (Karlshamn as karl|hamn, fellow and harbour;
 * Olofström as ström, current and river), which every company naming its town carried.
 */
export const SWEDISH_PLACE_NAMES: readonly string[] = [
  'Ale', 'Alingsås', 'Alvesta', 'Aneby', 'Arboga', 'Arjeplog', 'Arvidsjaur', 'Arvika',
  'Askersund', 'Avesta', 'Bengtsfors', 'Berg', 'Bjurholm', 'Bjuv', 'Boden', 'Bollebygd',
  'Bollnäs', 'Borgholm', 'Borlänge', 'Borås', 'Botkyrka', 'Boxholm', 'Bromölla', 'Bräcke',
  'Burlöv', 'Båstad', 'Dals-Ed', 'Danderyd', 'Degerfors', 'Dorotea', 'Eda', 'Ekerö', 'Eksjö',
  'Emmaboda', 'Enköping', 'Eskilstuna', 'Eslöv', 'Essunga', 'Fagersta', 'Falkenberg',
  'Falköping', 'Falun', 'Färgelanda', 'Filipstad', 'Finspång', 'Flen', 'Forshaga', 'Gagnef',
  'Gislaved', 'Gnesta', 'Gnosjö', 'Gotland', 'Grums', 'Grästorp', 'Gullspång', 'Gällivare',
  'Gävle', 'Göteborg', 'Götene', 'Habo', 'Hagfors', 'Hallsberg', 'Hallstahammar', 'Halmstad',
  'Hammarö', 'Haninge', 'Haparanda', 'Heby', 'Hedemora', 'Helsingborg', 'Herrljunga', 'Hjo',
  'Hofors', 'Huddinge', 'Hudiksvall', 'Hultsfred', 'Hylte', 'Härjedalen', 'Härnösand',
  'Härryda', 'Hässleholm', 'Höganäs', 'Högsby', 'Hällefors', 'Håbo', 'Höör', 'Hörby',
  'Jokkmokk', 'Järfälla', 'Jönköping', 'Kalix', 'Kalmar', 'Karlsborg', 'Karlshamn',
  'Karlskoga', 'Karlskrona', 'Karlstad', 'Katrineholm', 'Kil', 'Kinda', 'Kiruna', 'Klippan',
  'Knivsta', 'Kramfors', 'Kristianstad', 'Kristinehamn', 'Krokom', 'Kumla', 'Kungsbacka',
  'Kungälv', 'Kungsör', 'Kävlinge', 'Köping', 'Laholm', 'Landskrona', 'Laxå', 'Lekeberg',
  'Leksand', 'Lerum', 'Lessebo', 'Lidingö', 'Lidköping', 'Lilla Edet', 'Lindesberg',
  'Linköping', 'Ljungby', 'Ljusdal', 'Ljusnarsberg', 'Lomma', 'Ludvika', 'Luleå', 'Lund',
  'Lycksele', 'Lysekil', 'Malmö', 'Malung-Sälen', 'Malå', 'Mariestad', 'Mark', 'Markaryd',
  'Mellerud', 'Mjölby', 'Mora', 'Motala', 'Mullsjö', 'Munkedal', 'Munkfors', 'Mölndal',
  'Mönsterås', 'Mörbylånga', 'Nacka', 'Nora', 'Norberg', 'Nordanstig', 'Nordmaling',
  'Norrköping', 'Norrtälje', 'Norsjö', 'Nybro', 'Nykvarn', 'Nyköping', 'Nynäshamn', 'Nässjö',
  'Ockelbo', 'Olofström', 'Orsa', 'Orust', 'Osby', 'Oskarshamn', 'Ovanåker', 'Oxelösund',
  'Pajala', 'Partille', 'Perstorp', 'Piteå', 'Ragunda', 'Robertsfors', 'Ronneby', 'Rättvik',
  'Sala', 'Salem', 'Sandviken', 'Sigtuna', 'Simrishamn', 'Sjöbo', 'Skara', 'Skellefteå',
  'Skinnskatteberg', 'Skurup', 'Skövde', 'Smedjebacken', 'Sollefteå', 'Sollentuna', 'Solna',
  'Sorsele', 'Sotenäs', 'Staffanstorp', 'Stenungsund', 'Stockholm', 'Storfors', 'Storuman',
  'Strängnäs', 'Strömstad', 'Strömsund', 'Sundbyberg', 'Sundsvall', 'Sunne', 'Surahammar',
  'Svalöv', 'Svedala', 'Svenljunga', 'Säffle', 'Säter', 'Sävsjö', 'Söderhamn', 'Söderköping',
  'Södertälje', 'Sölvesborg', 'Tanum', 'Tibro', 'Tidaholm', 'Tierp', 'Timrå', 'Tingsryd',
  'Tjörn', 'Tomelilla', 'Torsby', 'Torsås', 'Tranemo', 'Tranås', 'Trelleborg', 'Trollhättan',
  'Trosa', 'Tyresö', 'Täby', 'Töreboda', 'Uddevalla', 'Ulricehamn', 'Umeå', 'Upplands Väsby',
  'Upplands-Bro', 'Uppvidinge', 'Uppsala', 'Vadstena', 'Vaggeryd', 'Valdemarsvik',
  'Vallentuna', 'Vansbro', 'Vara', 'Varberg', 'Vaxholm', 'Vellinge', 'Vetlanda', 'Vilhelmina',
  'Vindeln', 'Vingåker', 'Vimmerby', 'Vårgårda', 'Vänersborg', 'Vännäs', 'Värmdö', 'Värnamo',
  'Västerås', 'Västervik', 'Växjö', 'Ydre', 'Ystad', 'Åmål', 'Ånge', 'Åre', 'Årjäng', 'Åsele',
  'Åstorp', 'Åtvidaberg', 'Älmhult', 'Älvdalen', 'Älvkarleby', 'Älvsbyn', 'Ängelholm',
  'Öckerö', 'Ödeshög', 'Örkelljunga', 'Örnsköldsvik', 'Östersund', 'Österåker', 'Östhammar',
  'Örebro', 'Överkalix', 'Övertorneå', 'Östra Göinge',
];

export const BLEKINGE_LOCALITIES: readonly string[] = [
  'Lyckeby', 'Rödeby', 'Nättraby', 'Jämjö', 'Sturkö', 'Hasslö', 'Tjurkö', 'Torhamn',
  'Kristianopel', 'Fågelmara', 'Trummenäs', 'Trossö', 'Stumholmen', 'Långö', 'Vämö', 'Saltö',
  'Gräsvik', 'Kallinge', 'Bräkne-Hoby', 'Johannishus', 'Listerby', 'Backaryd', 'Hallabro',
  'Eringsboda', 'Mörrum', 'Asarum', 'Svängsta', 'Hällaryd', 'Mjällby', 'Hällevik', 'Nogersund',
  'Pukavik', 'Norje', 'Jämshög', 'Kyrkhult', 'Vilshult', 'Gränum', 'Holje', 'Listerlandet',
];
