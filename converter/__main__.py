from seq2tfdata.cli.main import main

raise SystemExit(main())
